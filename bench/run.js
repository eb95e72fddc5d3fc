#!/usr/bin/env node
// Prints Slipway's speed figures next to their targets. Figures, not pass/fail: nothing here asserts.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
// Child benches load the AWS SDK; its notice about future Node versions is not a figure.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const cli = join(root, 'bin', 'slipway.js');
const runs = Number(process.env.BENCH_RUNS ?? 15);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(1)} ms`;
const timeCommand = (args, env = {}) => {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  return median(samples);
};
const row = (name, value, target, pass) =>
  console.log(`${pass ? 'ok  ' : 'MISS'} ${name.padEnd(52)} ${value.padStart(12)}   target ${target}`);

const home = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
const env = { SLIPWAY_HOME: home };
const slipway = (...args) =>
  execFileSync(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

try {
  console.log(`Slipway benchmarks (median of ${runs} runs where timed)\n`);

  // CLI cold start, against plain node in the same run.
  const nodeBaseline = timeCommand(['-e', '0']);
  const version = timeCommand([cli, '--version']);
  slipway('deploy', 'demo', '--env', 'staging', '--ref', 'HEAD~1', '--json');
  const releases = timeCommand([cli, 'releases', 'demo', '--env', 'staging', '--json'], env);
  console.log(`node -e 0: ${ms(nodeBaseline)}`);
  row(
    'slipway --version',
    `${ms(version)} (${(version / nodeBaseline).toFixed(2)}×)`,
    '≤ 2 × node -e 0',
    version <= 2 * nodeBaseline,
  );
  row(
    'slipway releases demo --env staging --json',
    `${ms(releases)} (${(releases / nodeBaseline).toFixed(2)}×)`,
    '≤ 3 × node -e 0',
    releases <= 3 * nodeBaseline,
  );

  // Promote → production serving the new version, on the local provider.
  slipway('deploy', 'demo', '--env', 'production', '--ref', 'HEAD~1', '--json');
  slipway('deploy', 'demo', '--env', 'staging', '--ref', 'HEAD', '--json');
  const status = JSON.parse(slipway('status', 'demo', '--json'));
  const staging = status.environments.find((e) => e.environment === 'staging');
  const production = status.environments.find((e) => e.environment === 'production');
  const wanted = staging.current.sha;
  const start = process.hrtime.bigint();
  const promote = spawn(
    process.execPath,
    [cli, 'promote', 'demo', '--from', 'staging', '--to', 'production', '--yes', '--json'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let output = '';
  promote.stdout.on('data', (chunk) => (output += chunk));
  let servedAt;
  while (servedAt === undefined) {
    try {
      const body = await (await fetch(`${production.url}/healthz`)).text();
      if (body.includes(wanted)) servedAt = process.hrtime.bigint();
    } catch {
      // between instances; keep polling
    }
    if (servedAt === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => promote.on('exit', resolve));
  const total = Number(servedAt - start) / 1e6;
  const deployment = JSON.parse(output);
  const health = deployment.steps.find((s) => s.name === 'Health check');
  const next = deployment.steps[deployment.steps.indexOf(health) + 1];
  const healthMs = health && next ? Date.parse(next.at) - Date.parse(health.at) : NaN;
  row(
    'promote call → production serves the new version',
    ms(total),
    `≤ health check (${ms(healthMs)}) + 1000 ms`,
    total <= healthMs + 1000,
  );

  // Renderer initial JS, gzipped: what index.html loads before any lazy view.
  const rendererDir = join(root, 'dist', 'renderer');
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gz = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(rendererDir, file))).length, 0);
  const allJs = readdirSync(join(rendererDir, 'assets')).filter((f) => f.endsWith('.js'));
  const lazy = allJs.filter((f) => !initial.includes(`assets/${f}`));
  row('renderer initial JS (gzipped)', `${(gz / 1024).toFixed(1)} KB`, '≤ 300 KB', gz <= 300 * 1024);
  console.log(
    `     (${initial.length} initial file(s); ${lazy.length} chunk(s) loaded on demand, ${(lazy.reduce((s, f) => s + statSync(join(rendererDir, 'assets', f)).size, 0) / 1024).toFixed(0)} KB raw)`,
  );

  // Provider benchmarks written in TypeScript: bundled, then run.
  const { build } = await import('esbuild');
  for (const file of readdirSync(join(root, 'bench')).filter(
    (f) => (f.startsWith('aws-') || f.startsWith('local-')) && f.endsWith('.ts'),
  )) {
    const outfile = join(root, 'dist', 'bench', file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [join(root, 'bench', file)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    console.log(`\n${file}`);
    spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  }

  // The exec terminal: keystroke echo over the loopback socket, and a 100 MB cat into the window.
  spawnSync(process.execPath, [join(root, 'bench', 'terminal.js')], { stdio: 'inherit' });
} finally {
  if (existsSync(join(root, 'dist', 'main', 'cli.js'))) {
    try {
      execFileSync(process.execPath, [cli, 'local:stop', '--json'], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
    } catch {
      // nothing was started
    }
  }
  rmSync(home, { recursive: true, force: true });
}
