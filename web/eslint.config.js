// ESLint (flat config) for the web client: `npm run lint`, also run by scripts/test.sh.
// The client (config.js, src/) runs in browsers; its tests and tools run in Node.js.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'dist/', 'test-results/'] },
  js.configs.recommended,
  {
    files: ['config.js', 'src/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser },
  },
  {
    files: ['eslint.config.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
  },
  {
    // Functions the browser tests hand to page.evaluate() run in the page, not in Node.js.
    files: ['test/browser/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
