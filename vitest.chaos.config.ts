import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: the long hardening suites — the contract fuzz at full size (SLIPWAY_FUZZ_RUNS),
// fault injection against the built CLI (`*.chaos.test.ts`) and the secret scan. Each prints a summary line.
export default defineConfig({
  test: {
    include: [
      'src/**/*.chaos.test.ts',
      'src/main/hardening/contract-fuzz.test.ts',
      'src/main/hardening/*secret*.test.ts',
    ],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
