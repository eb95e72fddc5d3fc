// Bundles the main-process entries with esbuild: one file per entry keeps CLI cold start fast.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const esm = [
  ['src/main/cli.ts', 'cli'],
  ['src/main/server.ts', 'server'],
  ['src/main/app/main.ts', 'electron'],
  ['src/main/providers/local/proxy-daemon.ts', 'local-proxy'],
  ['src/main/providers/local/instance-supervisor.ts', 'local-instance'],
].filter(([entry]) => existsSync(entry));

// Chunk names carry content hashes: without this, every build would leave the last one's chunks in
// dist/ (and in the packaged app).
rmSync('dist/main/chunks', { recursive: true, force: true });

// zod's namespace re-exports every message locale (~500 KB) and Slipway speaks English only: leaving the
// others out spares each cold CLI command compiling them.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
    }));
  },
};

const shared = {
  bundle: true,
  plugins: [zodEnglishOnly],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Class names are read at run time (an SDK command's name is its IAM action in error messages).
  keepNames: true,
  logLevel: 'warning',
  external: ['electron', 'node-pty'],
};

const { metafile } = await build({
  ...shared,
  metafile: true,
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

// A package imported with import() gets a chunk of its own; when the package is CommonJS (the AWS SDK
// is), that chunk's only export is `default`, so `const { S3Client } = await import(...)` works from
// source and is undefined in the bundle. Import a module of ours lazily instead, which imports the
// package statically.
const lazyPackages = Object.entries(metafile.outputs)
  .filter(([, output]) => output.entryPoint?.includes('node_modules/') && output.exports.join() === 'default')
  .map(([file, output]) => `${file} (${output.entryPoint})`);
if (lazyPackages.length > 0) {
  console.error(
    `A CommonJS package is imported with import(), so its named exports are lost in the bundle:\n  ${lazyPackages.join('\n  ')}\n` +
      'Import it statically from a module of ours, and import() that module instead.',
  );
  process.exit(1);
}

// Test doubles (the AWS stand-in for the window's end-to-end tests) are built apart, into dist/test,
// which electron-builder.yml leaves out of the app: nothing of them ships.
if (existsSync('src/main/providers/aws-ecs/standin/main.ts')) {
  await build({
    ...shared,
    entryPoints: { 'aws-standin': 'src/main/providers/aws-ecs/standin/main.ts' },
    outdir: 'dist/test',
    format: 'esm',
    banner: {
      js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);",
    },
  });
}

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
