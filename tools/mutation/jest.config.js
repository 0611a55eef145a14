// The jest run StrykerJS repeats for each mutant (`npm run mutation`): the node tests only (unit, the sandbox's
// contract, services ↔ sandbox). They reach every line of the mutated folders; the page tests under simulate would
// add minutes per mutant on two cores and are left to `npm test`.
module.exports = {
  rootDir: `${__dirname}/../..`,
  testEnvironment: 'node',
  testTimeout: 20000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/dist/', '<rootDir>/.stryker-tmp/'],
  testMatch: ['<rootDir>/test/{unit,sandbox,integration}/**/*.test.ts'],
}
