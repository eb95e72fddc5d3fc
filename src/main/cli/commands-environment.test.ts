// `slipway env` and `slipway env:set` for real: main() against a fresh workspace on the local provider.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentSchema } from '../../shared/model.js';
import { main } from '../cli.js';
import { stopAllLocal } from '../providers/local/index.js';
import { recordingIo, type RecordingIo } from './test-io.js';

let home: string;
const workspaceFile = (): Promise<string> => readFile(join(home, 'workspace.json'), 'utf8');

async function run(argv: string[]): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo({ env: { SLIPWAY_HOME: home } });
  const code = await main(argv, io);
  return { code, io };
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-cli-env-'));
});
afterAll(async () => {
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('slipway env', () => {
  it('shows how an environment runs', async () => {
    const { code, io } = await run(['env', 'demo', '--env', 'staging']);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toMatch(/^Instances\s+2$/m);
    expect(io.out()).toMatch(/^Health check\s+GET \/healthz every 200 ms, 2000 ms timeout, up to 50 tries$/m);
    expect(io.out()).toMatch(/^Stop signal\s+SIGTERM$/m);
    expect(io.out()).toMatch(/^Grace period\s+5000 ms, then SIGKILL$/m);
    expect(io.out()).toContain('slipway env:set demo --env staging');

    const json = await run(['env', 'demo', '--env', 'staging', '--json']);
    expect(environmentSchema.parse(JSON.parse(json.io.out()))).toMatchObject({
      name: 'staging',
      target: { provider: 'local', instances: 2, stopSignal: 'SIGTERM' },
    });
  });

  it('saves new settings, says they apply from the next deploy, and records them', async () => {
    const { code, io } = await run([
      'env:set',
      'demo',
      '--env',
      'staging',
      '--instances',
      '3',
      '--stop-signal',
      'quit',
      '--health-path',
      '/up',
      '--grace',
      '30000',
    ]);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toContain(
      'Saved the settings of demo/staging: instances 2 → 3, health check path /healthz → /up, stop signal SIGTERM → SIGQUIT, grace period 5000 ms → 30000 ms.\n',
    );
    expect(io.out()).toContain('They apply from the next deploy');
    expect(io.out()).toMatch(/^Instances\s+3$/m);

    const shown = await run(['env', 'demo', '--env', 'staging']);
    expect(shown.io.out()).toMatch(/^Stop signal\s+SIGQUIT$/m);
    expect(shown.io.out()).toMatch(/^Health check\s+GET \/up every/m);
    const production = await run(['env', 'demo', '--env', 'production']);
    expect(production.io.out()).toMatch(/^Instances\s+2$/m);

    const feed = await run(['activity', 'demo', '--env', 'staging']);
    expect(feed.io.out()).toMatch(/environment\.configure\s+ok\s+Changed the settings of staging: instances 2 → 3/);
  });

  it('prints the environment as saved with --json, and says so when nothing changed', async () => {
    const json = await run(['env:set', 'demo', '--env', 'staging', '--health-retries', '9', '--json']);
    expect(json.code, json.io.err()).toBe(0);
    expect(environmentSchema.parse(JSON.parse(json.io.out())).target).toMatchObject({
      instances: 3,
      healthCheck: { path: '/up', retries: 9 },
    });
    const again = await run(['env:set', 'demo', '--env', 'staging', '--instances', '3']);
    expect(again.code).toBe(0);
    expect(again.io.out()).toContain('demo/staging already has these settings; nothing changed.');
  });

  it.each([
    [['--instances', '17'], '--instances: The instance count is a whole number from 1 to 16.'],
    [['--instances', 'three'], '--instances: The instance count is a whole number from 1 to 16.'],
    [['--stop-signal', 'SIGKILL'], '--stop-signal: The stop signal is one of SIGTERM, SIGINT, SIGQUIT'],
    [['--health-path', 'healthz'], '--health-path: The health check path starts with /'],
    [['--grace', '400000'], '--grace: The grace period is a whole number from 0 to 300,000 ms.'],
    [[], 'Give at least one setting to change.'],
  ])('refuses env:set %j as a usage error and saves nothing', async (options, message) => {
    const before = await workspaceFile();
    const { code, io } = await run(['env:set', 'demo', '--env', 'staging', ...options, '--json']);
    expect(code).toBe(2);
    expect(io.err()).toContain(`error INVALID_INPUT: ${message}`);
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await workspaceFile()).toBe(before);
  });

  it('needs --env', async () => {
    const { code, io } = await run(['env', 'demo']);
    expect(code).toBe(2);
    expect(io.err()).toContain('env needs --env ENV.');
  });

  it('shows an ECS environment and refuses to change it, saying where its settings live', async () => {
    // An ECS pipeline added to the workspace file by hand.
    const data = JSON.parse(await workspaceFile());
    data.pipelines.push({
      name: 'shop',
      environments: [
        { name: 'staging', target: { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'staging', service: 'web' } },
      ],
    });
    await writeFile(join(home, 'workspace.json'), JSON.stringify(data, null, 2));
    const shown = await run(['env', 'shop', '--env', 'staging']);
    expect(shown.code, shown.io.err()).toBe(0);
    expect(shown.io.out()).toMatch(/^Service\s+web in cluster staging \(eu-west-1\)$/m);

    const before = await workspaceFile();
    const { code, io } = await run(['env:set', 'shop', '--env', 'staging', '--instances', '4']);
    expect(code).toBe(1);
    expect(io.err()).toContain('error INVALID_INPUT: staging runs on AWS ECS (service web in cluster staging');
    expect(io.err()).toContain('desired count');
    expect(await workspaceFile()).toBe(before);
  });
});
