import { defineConfig } from 'vitest/config';

// `npm run test:aws`: the tests that run against the AWS emulator (`*.aws.test.ts`).
export default defineConfig({
  test: {
    include: ['src/**/*.aws.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['./vitest.aws-setup.ts'],
  },
});
