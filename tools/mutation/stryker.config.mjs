// StrykerJS over one part of what `npm run mutation` measures (tools/mutation.ts runs both parts):
// - MUTATION_PART=app (default): the services and the utils, with the unit tests and services ↔ sandbox;
// - MUTATION_PART=sandbox: the sandbox's rules, with the sandbox's contract tests.
// Split so that each mutant runs only the tests meant for its code: a sandbox rule is reached by nearly every
// services ↔ sandbox test, which would triple the run. Not part of `npm test` (it runs the tests once per mutant).
// Incremental: the last run's result on this machine (reports/mutation/<part>.incremental.json) is reused for every
// mutant whose code and tests did not change, so a run after a small change takes minutes.
const part = process.env.MUTATION_PART === 'sandbox' ? 'sandbox' : 'app'

export const MUTATE = {
  app: [
    'miniprogram/services/**/*.ts',
    'miniprogram/utils/**/*.ts',
    // WeChat's `require.async`, which exists only there: every jest config maps this module to the test loader
    '!miniprogram/services/subpackages.ts',
  ],
  // what the sandbox answers, not its HTTP plumbing, options parsing or picture drawing
  sandbox: ['sandbox/{tenant,codes,tokens,captcha,directory,validation,messages,faults}.ts'],
}

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'tools/mutation/jest.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.test.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: MUTATE[part],
  coverageAnalysis: 'perTest',
  // a mutant of a module-level constant would run every test; they are counted as ignored, not as killed
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${part}.incremental.json`,
  // StrykerJS gives half of these to type checkers (busy only at the start) and half to test runners
  concurrency: 4,
  timeoutMS: 5000,
  // MUTATION_EVENTS=1 also writes each result as it comes, to reports/mutation/<part>-events/ (to follow a long run)
  reporters: [
    'clear-text',
    'progress-append-only',
    'json',
    ...(process.env.MUTATION_EVENTS ? ['event-recorder'] : []),
  ],
  eventReporter: { baseDir: `reports/mutation/${part}-events` },
  jsonReporter: { fileName: `reports/mutation/${part}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  tempDirName: `.stryker-tmp/${part}`,
  cleanTempDir: 'always',
}
