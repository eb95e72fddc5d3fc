import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// One config for the renderer build and for Vitest.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 900,
  },
  test: {
    root: '.',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // Tests against the AWS emulator run with `npm run test:aws` (vitest.aws.config.ts); the long fault
    // suites with `npm run test:chaos` (vitest.chaos.config.ts).
    exclude: ['**/node_modules/**', '**/*.aws.test.ts', '**/*.chaos.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
