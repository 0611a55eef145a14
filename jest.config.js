// Two projects: Node for units, the sandbox contract and service↔sandbox integration; jsdom for pages under miniprogram-simulate.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] }
const common = {
  transform,
  // `ts` before `json`: a page's `index.json` must not win over `index.ts`
  moduleFileExtensions: ['ts', 'js', 'json'],
  // staged build copies hold a second package.json and the compiled output
  modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/dist/', '<rootDir>/.stryker-tmp/'],
  // `require.async` (subpackages loaded on demand) exists only in WeChat: test/support/subpackages.ts loads the same files
  moduleNameMapper: { '^(\\.{1,2}/)+(services/)?subpackages$': '<rootDir>/test/support/subpackages.ts' },
}
module.exports = {
  testTimeout: 20000,
  // one worker per core: jest's default (cores - 1) leaves one of the two cores idle while the tests wait on their
  // loopback sandboxes; with both, `npm test` goes from about 190 s to about 150 s on 2 cores
  maxWorkers: '100%',
  projects: [
    {
      ...common,
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/{unit,sandbox,integration,scripts,tools}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'pages',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/pages/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/simulate-setup.ts'],
    },
  ],
}
