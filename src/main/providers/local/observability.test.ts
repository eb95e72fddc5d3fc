// Logs, metrics and alarms of real local instances: the demo app's request lines in the tail and in
// search, rotation that the tail follows without losing a line, /proc samples and a local alarm.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config, LogLine, Release } from '../../../shared/model.js';
import { recordingReporter } from '../conformance.js';
import type { LogTailChunk } from '../capabilities.js';
import type { EnvironmentContext, Provider } from '../provider.js';
import { createLocalProvider } from './local-provider.js';
import { environmentPaths } from './paths.js';
import { createAppRepo, createTestWorkspace, customContext, type TestWorkspace } from './test-support.js';

let workspace: TestWorkspace;
let provider: Provider;
const saved = { max: process.env.SLIPWAY_LOG_MAX_BYTES, sample: process.env.SLIPWAY_SAMPLE_MS };

beforeAll(async () => {
  process.env.SLIPWAY_SAMPLE_MS = '200';
  workspace = await createTestWorkspace();
  provider = createLocalProvider({ home: workspace.home });
});
afterAll(async () => {
  await provider.dispose();
  await workspace.dispose();
  process.env.SLIPWAY_LOG_MAX_BYTES = saved.max;
  process.env.SLIPWAY_SAMPLE_MS = saved.sample;
  if (saved.max === undefined) delete process.env.SLIPWAY_LOG_MAX_BYTES;
  if (saved.sample === undefined) delete process.env.SLIPWAY_SAMPLE_MS;
});

async function deploy(ctx: EnvironmentContext, config: Config = {}): Promise<Release> {
  const reporter = recordingReporter();
  const { artifact, sha } = await provider.resolveArtifact(ctx, 'HEAD', reporter);
  const release = await provider.createRelease(ctx, {
    kind: 'deploy',
    artifact,
    sha,
    config,
    actor: { user: 'tester' },
    description: 'Deploy HEAD',
  });
  await provider.rollout(ctx, release, reporter, new AbortController().signal);
  return provider.setReleaseStatus(ctx, release.version, 'succeeded');
}

/** Collects a tail's lines in the background until stopped. */
function follow(ctx: EnvironmentContext, query = {}): { lines: LogLine[]; events: LogTailChunk[]; stop(): void } {
  const abort = new AbortController();
  const lines: LogLine[] = [];
  const events: LogTailChunk[] = [];
  const logs = provider.capabilities.logs;
  if (!logs) throw new Error('the local provider offers logs');
  void (async () => {
    for await (const event of logs.tail(ctx, query, abort.signal)) {
      events.push(event);
      if (event.type === 'lines') lines.push(...event.lines);
    }
  })();
  return { lines, events, stop: () => abort.abort() };
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const portOf = (ctx: EnvironmentContext): number =>
  ctx.environment.target.provider === 'local' ? ctx.environment.target.port : 0;

describe('local logs', () => {
  it('shows a request to the demo app in the live tail, with its instance and release, then in search', async () => {
    const ctx = workspace.ctx('staging', { instances: 1 });
    const release = await deploy(ctx);
    const tail = follow(ctx);
    // The tail starts at "now": give it a moment to note where each file ends.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await fetch(`http://127.0.0.1:${portOf(ctx)}/nowhere?probe=tail-test`);
    expect(response.status).toBe(404);
    const line = await until(() => tail.lines.find((candidate) => candidate.text.includes('/nowhere?probe=tail-test')));
    tail.stop();
    const [instance] = (await provider.status(ctx)).instances;
    expect(line).toMatchObject({ instance: instance?.id, release: release.version, stream: 'stdout' });
    // The status in yellow (ANSI), as a terminal would show it.
    expect(line.text).toContain('GET /nowhere?probe=tail-test \u001b[33m404\u001b[0m ');
    // Health checks are not logged, so a quiet app shows nothing but what people asked for.
    expect(tail.lines.filter((candidate) => candidate.text.includes('/healthz'))).toEqual([]);

    await fetch(`http://127.0.0.1:${portOf(ctx)}/second?probe=tail-test`);
    const logs = provider.capabilities.logs;
    const range = {
      since: new Date(Date.now() - 60_000).toISOString(),
      until: new Date(Date.now() + 1_000).toISOString(),
    };
    const found = await until(async () => {
      const page = await logs?.search(ctx, { ...range, filter: 'PROBE=TAIL', limit: 10 });
      return page && page.lines.length === 2 ? page : undefined;
    });
    // Newest first, the same ids as the tail, and paged by token.
    expect(found.lines.map((l) => l.text.split(' ')[1])).toEqual([
      '/second?probe=tail-test',
      '/nowhere?probe=tail-test',
    ]);
    expect(found.lines[1]?.id).toBe(line.id);
    const first = await logs?.search(ctx, { ...range, filter: 'probe=tail', limit: 1 });
    expect(first?.lines.map((l) => l.id)).toEqual([found.lines[0]?.id]);
    const second = await logs?.search(ctx, {
      ...range,
      filter: 'probe=tail',
      limit: 1,
      nextToken: first?.nextToken ?? '',
    });
    expect(second?.lines.map((l) => l.id)).toEqual([line.id]);
    expect(second?.nextToken).toBeUndefined();
  });

  it('rotates a busy instance at the size cap, keeps three old files and the tail misses no line', async () => {
    process.env.SLIPWAY_LOG_MAX_BYTES = '8192';
    try {
      const repo = await createAppRepo(`${workspace.home}/chatty`, {
        'slipway.json': JSON.stringify({ web: 'node server.js' }),
        'server.js': `
          require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1');
          let n = 0;
          const timer = setInterval(() => {
            for (let i = 0; i < 10 && n < 1000; i++) console.log('line ' + String(n++).padStart(4, '0') + ' ' + 'x'.repeat(20));
            if (n >= 1000) clearInterval(timer);
          }, 15);
        `,
      });
      const ctx = await customContext(repo, { instances: 1 });
      const tail = follow(ctx);
      await deploy(ctx);
      await until(() => tail.lines.length >= 1000, 30_000);
      tail.stop();
      expect(tail.lines.map((line) => line.text.slice(0, 9))).toEqual(
        Array.from({ length: 1000 }, (_, n) => `line ${String(n).padStart(4, '0')}`),
      );
      const files = (await readdir(environmentPaths(workspace.home, ctx).logs)).sort();
      const [instance] = (await provider.status(ctx)).instances;
      expect(files).toEqual([
        `${instance?.id}.log`,
        `${instance?.id}.log.1`,
        `${instance?.id}.log.2`,
        `${instance?.id}.log.3`,
      ]);
      await (provider as ReturnType<typeof createLocalProvider>).stopEnvironment(ctx);
    } finally {
      delete process.env.SLIPWAY_LOG_MAX_BYTES;
    }
  });
});

describe('local metrics and alarms', () => {
  it('samples memory per instance and fires a memory alarm once the app holds more than the threshold', async () => {
    const ctx = workspace.ctx('production', { instances: 1 });
    await deploy(ctx, { MEMORY_HOG_MB: { value: '64', secret: false } });
    const metrics = provider.capabilities.metrics;
    const now = Date.now();
    const answer = await metrics?.series(ctx, {
      since: new Date(now - 3_600_000).toISOString(),
      until: new Date(now + 1_000).toISOString(),
      periodSeconds: 1,
    });
    const [instance] = (await provider.status(ctx)).instances;
    const memory = answer?.series.find((series) => series.metric === 'memory' && series.instance === instance?.id);
    // The app holds 64 MiB on top of Node itself.
    expect(Math.max(...(memory?.points.map((point) => point.value) ?? [0]))).toBeGreaterThan(64 * 1024 * 1024);
    expect(answer?.series.some((series) => series.metric === 'cpu' && series.instance === undefined)).toBe(true);

    const alarms = provider.capabilities.alarms;
    const created = await alarms?.create(ctx, {
      name: 'hungry',
      metric: 'memory',
      threshold: 0.01,
      periodSeconds: 1,
      evaluationPeriods: 1,
    });
    expect(created).toMatchObject({ name: 'hungry', managed: true });
    const fired = await until(async () => (await alarms?.list(ctx))?.find((alarm) => alarm.state === 'ALARM'));
    expect(fired.reason).toMatch(/^memory [\d.]+% is above 0.01%\.$/);
    await expect(
      alarms?.create(ctx, { name: 'hungry', metric: 'cpu', threshold: 50, periodSeconds: 60, evaluationPeriods: 1 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await alarms?.delete(ctx, 'hungry');
    expect(await alarms?.list(ctx)).toEqual([]);
    await expect(alarms?.delete(ctx, 'hungry')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
