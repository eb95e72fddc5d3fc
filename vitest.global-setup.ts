// Builds the main-process bundle once per test run: the local provider's proxy runs as a detached
// process from dist/main/local-proxy.js, and Node cannot run our TypeScript sources directly.
import { execFileSync } from 'node:child_process';

export function setup(): void {
  try {
    execFileSync(process.execPath, ['scripts/build-main.js'], { stdio: 'inherit' });
  } catch {
    // A half-written entry elsewhere must not stop every test: build just the proxy daemon.
    console.warn('scripts/build-main.js failed; building only dist/main/local-proxy.js');
    execFileSync(
      process.execPath,
      [
        '-e',
        "import('esbuild').then(({ build }) => build({ entryPoints: { 'local-proxy': 'src/main/providers/local/proxy-daemon.ts' }, outdir: 'dist/main', bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning' }))",
      ],
      { stdio: 'inherit' },
    );
  }
}
