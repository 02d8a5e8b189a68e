// Console output of tests (fuzz statistics and the like) only on request, so `npm test` prints
// jest's per-file lines, the failures and the summary; failures print either way. To see a test's
// console output: COS_PRESIGN_TEST_STATS=1 npm test (or npx jest --silent=false).
const verbose = process.env.COS_PRESIGN_TEST_STATS === '1';

/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 60000,
  silent: !verbose,
  // One line before the run when the action tests cannot run under the runner's Node 24.
  globalSetup: '<rootDir>/scripts/jest-notices.js',
  // ts-jest type-checks each test file; the build (tsc) type-checks the sources.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
