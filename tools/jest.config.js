// Not part of `npm test`: the page drivers of `npm run bench` (project "bench") and `npm run screenshots` (project
// "shots"), started by those tools. Real pages under miniprogram-simulate in jsdom, like the "pages" project.
const common = {
  // the repository root: paths below are the same as in the root jest.config.js
  rootDir: `${__dirname}/..`,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  // `ts` before `json`: a page's `index.json` must not win over `index.ts`
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/dist/', '<rootDir>/.stryker-tmp/'],
  // `require.async` (subpackages loaded on demand) exists only in WeChat: test/support/subpackages.ts loads the same files
  moduleNameMapper: { '^(\\.{1,2}/)+(services/)?subpackages$': '<rootDir>/test/support/subpackages.ts' },
  testEnvironment: 'jsdom',
}
module.exports = {
  rootDir: common.rootDir,
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'bench',
      testMatch: ['<rootDir>/tools/drivers/bench-*.run.ts'],
      setupFiles: ['<rootDir>/test/support/simulate-setup.ts'],
    },
    {
      ...common,
      displayName: 'shots',
      testMatch: ['<rootDir>/tools/drivers/shots-*.run.ts'],
      // rpx as WeChat sizes it (750 rpx = the window width), then what simulate needs
      setupFiles: ['<rootDir>/tools/drivers/shots-setup.ts', '<rootDir>/test/support/simulate-setup.ts'],
    },
  ],
}
