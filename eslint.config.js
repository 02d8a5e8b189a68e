// ESLint flat config: typescript-eslint's recommended rules for the TypeScript sources and
// tests, ESLint's recommended rules for the plain Node scripts. Layout and line length are
// Prettier's job (.prettierrc.json), so no stylistic rules here.
const tseslint = require('typescript-eslint');
const js = require('@eslint/js');

// The Node globals the plain scripts use (the `globals` package is not a dependency here).
const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
  ].map((name) => [name, 'readonly']),
);

module.exports = tseslint.config(
  {
    // Generated or installed: the ncc bundle, tsc output, dependencies.
    ignores: ['dist/**', 'lib/**', 'coverage/**', '**/node_modules/**', '.tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Matching control characters is the point of those patterns: validation refuses them,
      // escapeControls() makes them visible, the fuzzers generate them.
      'no-control-regex': 'off',
      // `const { omitted, ...rest } = obj` drops a property on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.ts', 'pulumi/**/*.ts'],
    rules: {
      // Run-time require() is deliberate in two places: the Pulumi provider's serialized code
      // must load the signing core (and node:crypto) when it runs, not capture it.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^cos-presign/core$', '^node:crypto$'] }],
    },
  },
  {
    // Test harnesses drive untyped SDK internals (Pulumi's gRPC/protobuf modules, s3rver,
    // js-yaml) that they load by resolved path.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    // Plain CommonJS scripts run by Node: bin/, scripts/, bench/, test/**/*.js, this file.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
