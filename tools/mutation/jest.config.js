// The jest runs StrykerJS repeats for each mutant (`npm run mutation`): the node project of the main jest config
// (same transform and module mapping), narrowed to the tests that reach the mutated code. For the app's services and
// utils: the unit tests and services ↔ sandbox; for the sandbox's rules (MUTATION_PART=sandbox): the sandbox's own
// contract tests. The page tests under simulate would add minutes per mutant on two cores and are left to `npm test`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads this file as CommonJS
const { projects, testTimeout } = require('../../jest.config.js')

const node = projects.find((project) => project.displayName === 'node')
const folders = process.env.MUTATION_PART === 'sandbox' ? 'sandbox' : '{unit,integration}'

module.exports = {
  ...node,
  rootDir: `${__dirname}/../..`,
  testTimeout,
  testMatch: [`<rootDir>/test/${folders}/**/*.test.ts`],
}
