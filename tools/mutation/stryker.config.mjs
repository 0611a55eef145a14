// `npm run mutation`: StrykerJS over the services, the utils and the sandbox's rules, with the node tests of
// tools/mutation/jest.config.js. Not part of `npm test` (it runs the tests once per mutant). Incremental: the result
// of the last run on this machine (reports/mutation/incremental.json) is reused for every mutant whose code and tests
// did not change, so a run after a small change takes minutes. The README has the score and the survivors.
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'tools/mutation/jest.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.test.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'miniprogram/services/**/*.ts',
    // WeChat's `require.async`, which exists only there: every jest config maps this module to the test loader
    '!miniprogram/services/subpackages.ts',
    'miniprogram/utils/**/*.ts',
    // the sandbox's rules: what it answers, not its HTTP plumbing, options parsing or picture drawing
    'sandbox/{tenant,codes,tokens,captcha,directory,validation,messages,faults}.ts',
  ],
  coverageAnalysis: 'perTest',
  // a mutant of a module-level constant would run every test; they are counted as ignored, not as killed
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
