// ESLint flat config. The layer rules below are the checked form of STYLE.md's dependency graph.
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const ioModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'http',
  'node:http',
  'https',
  'node:https',
  'net',
  'node:net',
  'child_process',
  'node:child_process',
  'pg',
  '@electric-sql/pglite',
  'restify',
  'botbuilder',
  '@microsoft/teams-ai',
  '@microsoft/microsoft-graph-client',
  '@azure/identity',
  'pino',
  'prom-client',
  'croner',
];

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
    // The domain is pure: no I/O, no SDKs, no wall clock (a clock is passed in).
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules,
          patterns: [
            {
              group: ['**/store/**', '**/halo/**', '**/app/**', '**/api/**', '**/bot/**'],
              message: 'The domain depends on nothing outside src/domain.',
            },
          ],
        },
      ],
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
      ],
    },
  },
  {
    // The tab runs in the browser and talks only to /api/v1: it shares DTO types with the server.
    files: ['tab/src/**/*.ts', 'tab/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'The tab runs in the browser.' },
            {
              regex: '(^|/)(src|bot)/(?!api/dto$)',
              message: 'The tab shares only the DTO types of src/api/dto with the server.',
            },
            {
              regex: '(^|/)src/api/dto$',
              allowTypeImports: true,
              message: 'Import the DTOs type-only (import type).',
            },
          ],
        },
      ],
    },
  },
);
