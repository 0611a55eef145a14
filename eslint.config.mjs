// Lint TypeScript everywhere: the mini program (WeChat globals), the sandbox, scripts and tests (Node + Jest).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules/', 'miniprogram/miniprogram_npm/', 'dist/', 'reports/', '.tmp/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['miniprogram/**/*.ts'],
    languageOptions: {
      globals: { wx: 'readonly', App: 'readonly', Page: 'readonly', Component: 'readonly', Behavior: 'readonly', getApp: 'readonly', getCurrentPages: 'readonly' },
    },
    rules: {
      // the mini program logs nothing that could carry a token; user-facing errors go through the UI
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['sandbox/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', '*.mjs', '*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
)
