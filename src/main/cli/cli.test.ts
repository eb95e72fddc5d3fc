// `slipway` for real: main() against a fresh workspace on the local provider, as a person or a script
// would run it. Only the terminal is a stand-in.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  pipelineStatusSchema,
  releaseListItemSchema,
  activityPageSchema,
  pipelineSummarySchema,
} from '../../shared/contract/index.js';
import { deploymentSchema, publicConfigVarSchema } from '../../shared/model.js';
import { main } from '../cli.js';
import { stopAllLocal } from '../providers/local/index.js';
import { readServerFile } from '../transports/server-file.js';
import { recordingIo, type RecordingIo } from './test-io.js';

let home: string;

async function run(
  argv: string[],
  options: Parameters<typeof recordingIo>[0] = {},
): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo({ ...options, env: { SLIPWAY_HOME: home } });
  const code = await main(argv, io);
  return { code, io };
}

async function json(argv: string[]): Promise<unknown> {
  const { code, io } = await run([...argv, '--json']);
  if (code !== 0) throw new Error(`slipway ${argv.join(' ')} exited ${code}: ${io.err()}`);
  return JSON.parse(io.out());
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-cli-'));
});
afterAll(async () => {
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('slipway against a workspace', () => {
  it('lists pipelines as JSON and as a table', async () => {
    const list = pipelineSummarySchema.array().parse(await json(['pipelines']));
    expect(list.map((p) => p.name)).toEqual(['demo']);
    const { code, io } = await run(['pipelines']);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^PIPELINE\s+ENVIRONMENTS\s+PROVIDER\ndemo\s+staging → production\s+local\n$/);
  });

  it('fails with exit 1, the code on stderr and the envelope on stdout', async () => {
    const { code, io } = await run(['status', 'nope', '--json']);
    expect(code).toBe(1);
    const envelope = JSON.parse(io.out());
    expect(envelope).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(io.err()).toContain(`error NOT_FOUND: ${envelope.error.message}`);
    const human = await run(['status', 'nope']);
    expect(human.code).toBe(1);
    expect(human.io.out()).toBe('');
  });

  it('deploys with progress on stderr and the deployment on stdout', async () => {
    const { code, io } = await run(['deploy', 'demo', '--env', 'staging', '--ref', 'main', '--json']);
    expect(code, io.err()).toBe(0);
    const deployment = deploymentSchema.parse(JSON.parse(io.out()));
    expect(deployment).toMatchObject({ status: 'succeeded', releaseVersion: 1, environment: 'staging' });
    expect(io.err()).toContain('→ Build');
    expect(io.err()).toContain('✓ Release phase');

    const status = pipelineStatusSchema.parse(await json(['status', 'demo']));
    expect(status.environments.find((e) => e.environment === 'staging')?.current?.version).toBe(1);
  });

  it('sets config with secrets that never show again', async () => {
    const { code, io } = await run(['config:set', 'demo', '--env', 'staging', '--secret', 'API_KEY=s3cr3t-value-42']);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toBe('v2 is live on demo/staging (was v1).\n');
    await run(['config:set', 'demo', '--env', 'staging', 'GREETING=hello there']);

    const vars = publicConfigVarSchema.array().parse(await json(['config', 'demo', '--env', 'staging']));
    const secret = vars.find((v) => v.key === 'API_KEY');
    expect(secret?.secret).toBe(true);
    expect(secret && 'value' in secret).toBe(false);
    expect(vars.find((v) => v.key === 'GREETING')).toMatchObject({ secret: false, value: 'hello there' });
    const shown = await run(['config', 'demo', '--env', 'staging']);
    expect(shown.io.out()).toMatch(/^API_KEY\s+•••••• \(secret, \w+\)$/m);
    expect(shown.io.out()).toMatch(/^GREETING\s+hello there$/m);
    expect(shown.io.out() + shown.io.err() + io.err()).not.toContain('s3cr3t-value-42');
  });

  it('shows releases newest first, the current one starred', async () => {
    const releases = releaseListItemSchema.array().parse(await json(['releases', 'demo', '--env', 'staging']));
    expect(releases.map((r) => r.version)).toEqual([3, 2, 1]);
    const { io } = await run(['releases', 'demo', '--env', 'staging']);
    expect(io.out()).toMatch(/^\*\s+v3\s+config\s/m);
    expect(io.out()).toMatch(/^\s+v1\s+deploy\s/m);
  });

  it('rolls back, honouring no-rollback marks unless overridden', async () => {
    expect(
      await json(['releases:no-rollback', 'demo', '--env', 'staging', 'v3', '--reason', 'drops a column']),
    ).toMatchObject({
      version: 3,
      noRollback: { reason: 'drops a column' },
    });
    const refused = await run(['rollback', 'demo', '--env', 'staging', '--to', 'v2']);
    expect(refused.code).toBe(1);
    expect(refused.io.err()).toContain('error NO_ROLLBACK:');

    const { code, io } = await run([
      'rollback',
      'demo',
      '--env',
      'staging',
      '--to',
      'v1',
      '--override-reason',
      'we restored the column',
    ]);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toBe('v4 is live on demo/staging (was v3).\n');
  });

  it('promotes after showing the preview and asking', async () => {
    const declined = await run(['promote', 'demo', '--from', 'staging', '--to', 'production'], {
      interactive: true,
      answers: ['n'],
    });
    expect(declined.code).toBe(1);
    expect(declined.io.err()).toContain('Promote staging v4');
    expect(declined.io.questions).toEqual(['Promote to production? [y/N] ']);
    expect(releaseListItemSchema.array().parse(await json(['releases', 'demo', '--env', 'production']))).toEqual([]);

    const { code, io } = await run(['promote', 'demo', '--from', 'staging', '--to', 'production'], {
      interactive: true,
      answers: ['y'],
    });
    expect(code, io.err()).toBe(0);
    expect(io.out()).toBe('v1 is live on demo/production.\n');

    const scripted = await run(['promote', 'demo', '--from', 'staging', '--to', 'production', '--yes', '--json']);
    expect(scripted.code).toBe(0);
    expect(deploymentSchema.parse(JSON.parse(scripted.io.out()))).toMatchObject({ kind: 'promote', releaseVersion: 2 });
  });

  it('reads activity and deployments', async () => {
    const page = activityPageSchema.parse(await json(['activity', 'demo', '--env', 'staging', '--limit', '3']));
    expect(page.events).toHaveLength(3);
    expect(page.events[0]).toMatchObject({ action: 'rollback', overrideReason: 'we restored the column' });
    // Every earlier command ran its deploys in a process of its own; the journal lists them all.
    const deployments = deploymentSchema.array().parse(await json(['deployments', 'demo']));
    expect(deployments[0]).toMatchObject({
      kind: 'promote',
      environment: 'production',
      releaseVersion: 2,
      status: 'succeeded',
      abortable: false,
    });
    expect(deployments.map((d) => d.kind)).toContain('rollback');
    expect(deployments.every((d) => d.status === 'succeeded' || d.status === 'failed')).toBe(true);
    expect((await run(['deployments', 'demo'])).io.out()).toMatch(/Promote staging v4 to production/);
    const { io } = await run(['activity']);
    expect(io.out()).toMatch(/^WHEN\s+WHO\s+WHERE\s+ACTION\s+RESULT\s+SUMMARY$/m);
  });

  it('serves the workspace on loopback until stopped, and cleans up', async () => {
    const io = recordingIo({ env: { SLIPWAY_HOME: home } });
    const exit = main(['serve', '--json'], io);
    while (!io.out().includes('\n')) await new Promise((wake) => setTimeout(wake, 20));
    const { origin, port } = JSON.parse(io.out()) as { origin: string; port: number };
    const file = await readServerFile(home);
    expect(file).toMatchObject({ origin, port, by: 'serve', pid: process.pid });
    expect((await stat(join(home, 'server.json'))).mode & 0o777).toBe(0o600);
    // The token is in the owner-only file, never on stdout.
    const token = file?.token ?? '';
    expect(token.length).toBeGreaterThan(10);
    expect(io.out() + io.err()).not.toContain(token);

    const reply = await fetch(`http://127.0.0.1:${port}/api/call/pipelines.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(await reply.json()).toMatchObject({ ok: true, value: [{ name: 'demo' }] });

    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const answer = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'system.info', input: {} }));
    expect(await answer).toMatchObject({ t: 'result', id: 1, result: { ok: true, value: { home } } });
    ws.close();

    io.stop();
    expect(await exit).toBe(0);
    expect(await readServerFile(home)).toBeUndefined();
  });
});
