// `slipway logs`, `metrics` and `alarms` on a real local environment; the live tail runs the built
// bin/slipway.js in a child process, as a person's terminal would, and is ended with Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityPageSchema,
  logPageSchema,
  metricsResultSchema,
  pipelineStatusSchema,
} from '../../shared/contract/index.js';
import { alarmSchema, logLineSchema } from '../../shared/model.js';
import { main } from '../cli.js';
import { stopAllLocal } from '../providers/local/index.js';
import { recordingIo } from './test-io.js';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
let home: string;
let url: string;

async function run(argv: string[]) {
  // Real time: logs and metrics are about the last hour.
  const io = recordingIo({ env: { SLIPWAY_HOME: home }, now: Date.now() });
  const code = await main(argv, io);
  return { code, io };
}

async function json(argv: string[]): Promise<unknown> {
  const { code, io } = await run([...argv, '--json']);
  if (code !== 0) throw new Error(`slipway ${argv.join(' ')} exited ${code}: ${io.err()}`);
  return JSON.parse(io.out());
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-cli-observe-'));
  const { code, io } = await run(['deploy', 'demo', '--env', 'staging', '--ref', 'main']);
  if (code !== 0) throw new Error(`the first deploy failed: ${io.err()}`);
  url = pipelineStatusSchema.parse(await json(['status', 'demo'])).environments[0]?.url ?? '';
});
afterAll(async () => {
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('slipway logs', () => {
  it('--tail --json prints each new line as one JSON object and Ctrl-C ends it with exit 0', async () => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'slipway.js'), 'logs', 'demo', '--env', 'staging', '--tail', '--json'],
      { cwd: repoRoot, env: { ...process.env, SLIPWAY_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const following = new Promise<void>((ready) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Ctrl-C stops')) ready();
      }),
    );
    const seen = new Promise<void>((ready) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('cli-tail-probe')) ready();
      }),
    );
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await following;
      // The tail starts at "now": let it note where each file ends before the request.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await fetch(`${url}/cli-tail-probe`);
      await seen;
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => logLineSchema.parse(JSON.parse(line)));
    const probe = lines.find((line) => line.text.includes('/cli-tail-probe'));
    expect(probe).toMatchObject({ release: 1, stream: 'stdout' });
    expect(probe?.instance).toMatch(/^v1\.web\.\d\./);
  });

  it('searches the last hour, oldest first for people, newest first as JSON', async () => {
    await fetch(`${url}/search-one`);
    await fetch(`${url}/search-two`);
    // The app answers before its supervisor has written the line to the log file: search until both are there.
    const search = async () =>
      logPageSchema.parse(await json(['logs', 'demo', '--env', 'staging', '--since', '1h', '--filter', 'search-']));
    let page = await search();
    for (let tries = 0; page.lines.length < 2 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await search();
    }
    expect(page.lines.map((line) => line.text.split(' ')[1])).toEqual(['/search-two', '/search-one']);
    const { code, io } = await run(['logs', 'demo', '--env', 'staging', '--filter', 'search-']);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/: GET \/search-one .*\n.*: GET \/search-two /);
  });

  it('says what a bad --since looks like, with exit 2', async () => {
    const { code, io } = await run(['logs', 'demo', '--env', 'staging', '--since', 'yesterday']);
    expect(code).toBe(2);
    expect(io.err()).toContain(
      '--since takes a duration before now (30s, 15m, 1h, 2d) or an ISO time; got "yesterday"',
    );
  });
});

describe('slipway metrics and alarms', () => {
  it('samples CPU and memory of each instance', async () => {
    const result = metricsResultSchema.parse(await json(['metrics', 'demo', '--env', 'staging', '--since', '1h']));
    const memory = result.series.filter((series) => series.metric === 'memory' && series.instance !== undefined);
    expect(memory).toHaveLength(2);
    for (const series of memory) expect(series.points.at(-1)?.value).toBeGreaterThan(1024 * 1024);
    expect(result.releases.map((release) => release.version)).toEqual([1]);
    const { io } = await run(['metrics', 'demo', '--env', 'staging']);
    expect(io.out()).toMatch(/^INSTANCE\s+CPU NOW\s+CPU PEAK\s+MEMORY NOW\s+MEMORY PEAK\n\(environment\)/);
  });

  it('creates, lists and deletes an alarm, and the activity feed records both changes', async () => {
    const created = alarmSchema.parse(
      await json([
        'alarms:create',
        'demo',
        '--env',
        'staging',
        '--metric',
        'cpu',
        '--threshold',
        '90',
        '--period',
        '60',
      ]),
    );
    expect(created).toMatchObject({ name: 'demo-staging-cpu-90', metric: 'cpu', threshold: 90, periodSeconds: 60 });
    const listed = alarmSchema.array().parse(await json(['alarms', 'demo', '--env', 'staging']));
    expect(listed.map((alarm) => alarm.name)).toEqual(['demo-staging-cpu-90']);
    const refused = await run(['alarms:create', 'demo', '--env', 'staging', '--metric', 'disk', '--threshold', '9']);
    expect(refused.code).toBe(2);
    expect(refused.io.err()).toContain('--metric is one of cpu, memory, target5xx; got "disk"');
    expect(await json(['alarms:delete', 'demo', '--env', 'staging', '--name', 'demo-staging-cpu-90'])).toEqual({
      name: 'demo-staging-cpu-90',
    });
    expect(await json(['alarms', 'demo', '--env', 'staging'])).toEqual([]);
    const feed = activityPageSchema.parse(await json(['activity', 'demo']));
    expect(feed.events.slice(0, 2).map((event) => [event.action, event.summary])).toEqual([
      ['alarm.delete', 'Deleted alarm demo-staging-cpu-90 on staging'],
      ['alarm.create', 'Created alarm demo-staging-cpu-90 on staging: above 90% CPU for 60 s'],
    ]);
  });

  it('metrics:enable-detailed and alarms:guard-deploys ask first, and refuse on the local provider without changing anything', async () => {
    const before = activityPageSchema.parse(await json(['activity', 'demo'])).events.length;
    for (const command of ['metrics:enable-detailed', 'alarms:guard-deploys']) {
      const unasked = await run([command, 'demo', '--env', 'staging']);
      expect(unasked.code, command).toBe(2);
      expect(unasked.io.err()).toContain(`${command} changes the environment and asks first; there is no terminal`);
      expect(unasked.io.err()).toContain('Pass --yes');
    }

    const detailed = await run(['metrics:enable-detailed', 'demo', '--env', 'staging', '--yes']);
    expect(detailed.code).toBe(1);
    expect(detailed.io.err()).toContain('staging runs on the local provider, whose per-instance metrics need nothing');

    // In a terminal: asked with what it will do; "no" changes nothing.
    const io = recordingIo({ env: { SLIPWAY_HOME: home }, now: Date.now(), interactive: true, answers: ['n'] });
    expect(await main(['alarms:guard-deploys', 'demo', '--env', 'staging', '--alarm', 'high-cpu'], io)).toBe(1);
    expect(io.questions).toEqual([
      'Watch every rollout of demo/staging with high-cpu, rolling back when one fires? [y/N] ',
    ]);
    expect(io.err()).toContain('Not confirmed; nothing changed.');
    const guarded = await run(['alarms:guard-deploys', 'demo', '--env', 'staging', '--yes']);
    expect(guarded.code).toBe(1);
    expect(guarded.io.err()).toContain('whose rollouts cannot be watched by alarms');
    expect(activityPageSchema.parse(await json(['activity', 'demo'])).events).toHaveLength(before);
  });
});
