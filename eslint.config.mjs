// ESLint for the learner runtime and its Node unit tests: `npx eslint` (tests/test_runtime_js.py runs it).
// The runtime is plain ES5-style browser scripts (no modules, no bundler), each adding its part to
// window.CCM; the size limits keep every file and function small enough to read in one go.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['ccm_scorm/render/runtime/**/*.js', 'tests/support/adapter-recording.js'],
    languageOptions: { ecmaVersion: 2017, sourceType: 'script', globals: { ...globals.browser } },
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
      'no-var': 'off',
      'no-implicit-globals': 'error',
      'strict': ['error', 'function'],
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }]
    }
  },
  {
    files: ['tests/js/**/*.js', 'tests/js/**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: { 'max-lines-per-function': ['error', { max: 80 }] }
  }
];
