// The jest run StrykerJS repeats for each mutant (`npm run mutation`): the node project of the main jest config
// (same transform and module mapping), narrowed to unit, the sandbox's contract and services ↔ sandbox. They reach
// every line of the mutated folders; the page tests under simulate would add minutes per mutant on two cores and are
// left to `npm test`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads this file as CommonJS
const { projects, testTimeout } = require('../../jest.config.js')

const node = projects.find((project) => project.displayName === 'node')

module.exports = {
  ...node,
  rootDir: `${__dirname}/../..`,
  testTimeout,
  testMatch: ['<rootDir>/test/{unit,sandbox,integration}/**/*.test.ts'],
}
