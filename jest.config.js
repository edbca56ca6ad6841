/** Jest: swc transform for speed; `tsc --noEmit` type-checks separately in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/bot', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/artefacts/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: { '^adaptivecards$': 'adaptivecards/dist/adaptivecards.js' },
  testTimeout: 60000,
  maxWorkers: 2,
  // Slowest files first, also on a fresh clone without jest's timing cache.
  testSequencer: '<rootDir>/tests/support/slow-first-sequencer.js',
};
