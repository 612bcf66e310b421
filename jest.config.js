/**
 * One jest run for the whole workspace: unit tests beside the code (`src/**\/*.test.ts`) and integration
 * and end-to-end tests (`test/**\/*.test.ts`) on real PostgreSQL and Kafka. Workspace packages are
 * imported from their build (`pnpm build` runs first in the test command).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/infra', '<rootDir>/examples', '<rootDir>/web'],
  testMatch: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  globalSetup: '<rootDir>/infra/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/infra/src/testing/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
  // Tests close what they open; a leftover handle should fail loudly, not keep CI waiting.
  forceExit: false,
  detectOpenHandles: false,
};
