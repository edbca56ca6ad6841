// ESLint flat config. Imports between layers are checked by dependency-cruiser (.dependency-cruiser.cjs);
// what it cannot see (wall clock, randomness, fetch in the domain and use cases) is checked here.
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      '.data',
      'coverage',
      'tab/dist',
      'tests/artefacts',
      '*.js',
      '*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env.' },
      ],
    },
  },
  {
    files: [
      'src/config.ts',
      'src/bench/**',
      'src/replay/**',
      'tests/**',
      '**/*.test.ts',
      'src/halo/simulator/cli.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The domain is pure and use cases reach the world through ports: no I/O, no SDKs, no wall
    // clock, no randomness (a clock and ids are passed in). Imports are checked by dependency-cruiser.
    files: ['src/domain/**/*.ts', 'src/app/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass a clock into the domain.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass a clock into the domain.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Randomness comes through a port.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'HTTP belongs to an adapter behind a port.' },
        { name: 'crypto', message: 'Hashes and ids come through a port.' },
        { name: 'setTimeout', message: 'Time passes through the clock port.' },
        { name: 'setInterval', message: 'Time passes through the clock port.' },
      ],
    },
  },
);
