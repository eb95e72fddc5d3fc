// Builds the main-process bundle once per test run: the local provider's proxy runs as a detached
// process from dist/main/local-proxy.js, and Node cannot run our TypeScript sources directly.
import { execFileSync } from 'node:child_process';

export function setup(): void {
  execFileSync(process.execPath, ['scripts/build-main.js'], { stdio: 'inherit' });
}
