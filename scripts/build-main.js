// Bundles the main-process entries with esbuild: one file per entry keeps CLI cold start fast.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const esm = [
  ['src/main/cli.ts', 'cli'],
  ['src/main/server.ts', 'server'],
  ['src/main/app/main.ts', 'electron'],
  ['src/main/providers/local/proxy-daemon.ts', 'local-proxy'],
  ['src/main/providers/local/instance-supervisor.ts', 'local-instance'],
  ['src/main/providers/aws-ecs/standin/main.ts', 'aws-standin'],
].filter(([entry]) => existsSync(entry));

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Class names are read at run time (an SDK command's name is its IAM action in error messages).
  keepNames: true,
  logLevel: 'warning',
  external: ['electron', 'node-pty'],
};

await build({
  ...shared,
  entryPoints: Object.fromEntries(esm.map(([entry, name]) => [name, entry])),
  outdir: 'dist/main',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies still call require(); give them one.
  banner: {
    js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);",
  },
});

// Sandboxed preloads must be CommonJS.
if (existsSync('src/main/app/preload.ts')) {
  await build({
    ...shared,
    entryPoints: { preload: 'src/main/app/preload.ts' },
    outdir: 'dist/main',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  });
}
