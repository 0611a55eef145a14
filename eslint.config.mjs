// Lint TypeScript everywhere: the mini program (WeChat globals), the sandbox, scripts and tests (Node + Jest).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'miniprogram/miniprogram_npm/',
      'miniprogram/**/miniprogram_npm/',
      'dist/',
      'reports/',
      '.tmp/',
      '.stryker-tmp/',
      'coverage/',
    ],
  },
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
      globals: {
        wx: 'readonly',
        App: 'readonly',
        Page: 'readonly',
        Component: 'readonly',
        Behavior: 'readonly',
        getApp: 'readonly',
        getCurrentPages: 'readonly',
      },
    },
    rules: {
      // the mini program logs nothing that could carry a token; user-facing errors go through the UI
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // shipped as written (no ES5 pass, which would add 16 KB of regenerator runtime): ES2019 syntax at most,
      // what the iOS 12 JavaScriptCore that older supported iPhones run understands; `npm run build` checks the output
      'no-restricted-syntax': [
        'error',
        { selector: 'ChainExpression', message: 'Optional chaining is ES2020: iOS 12 cannot parse it.' },
        { selector: "LogicalExpression[operator='??']", message: '`??` is ES2020: iOS 12 cannot parse it.' },
        {
          selector: 'AssignmentExpression[operator=/^(\\?\\?|\\|\\||&&)=$/]',
          message: 'Logical assignment is ES2021.',
        },
        {
          selector: 'ImportExpression',
          message: 'Dynamic import is not supported by the mini program runtime.',
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Object', property: 'fromEntries', message: 'ES2019: missing on iOS 12.0.' },
        { object: 'String', property: 'prototype', message: 'Avoid patching built-ins.' },
      ],
    },
  },
  {
    files: [
      'sandbox/**/*.ts',
      'scripts/**/*.ts',
      'tools/**/*.ts',
      'test/**/*.ts',
      '*.mjs',
      '*.js',
      'tools/**/*.js',
      'tools/**/*.mjs',
    ],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
)
