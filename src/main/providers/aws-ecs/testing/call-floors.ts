// The AWS calls each cold `slipway` command makes on an app with a given history, counted on the wire
// by a proxy in front of the emulator: the figures `npm run bench` prints and the emulator tests check.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCountingProxy } from './counting-proxy.js';
import { createEmulatorApp } from './emulator-app.js';

const run = promisify(execFile);

export interface Measured {
  readonly command: string;
  readonly total: number;
  readonly byOperation: Record<string, number>;
  /** Rollout polls: the DescribeServices calls after the UpdateService that started the rollout. */
  readonly polls: number;
  /** Every call in the order it was sent. */
  readonly sequence: readonly string[];
}

export const FLOOR_COMMANDS = ['status', 'releases', 'deploy --image', 'promote', 'config:set', 'rollback'] as const;

/** Runs each command once, in a fresh process, on a fresh app whose families hold `revisions` revisions. */
export async function measureCallFloors(cli: string, endpoint: string, revisions: number): Promise<Measured[]> {
  const app = await createEmulatorApp(endpoint, revisions);
  const proxy = await startCountingProxy(endpoint);
  const home = await mkdtemp(join(tmpdir(), 'slipway-floors-'));
  const slipway = async (args: readonly string[]): Promise<void> => {
    await run(process.execPath, [cli, ...args], {
      env: {
        ...process.env,
        SLIPWAY_HOME: home,
        AWS_ENDPOINT_URL: proxy.url,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
  };
  const p = app.pipeline;
  const steps: [string, string[]][] = [
    ['status', ['status', p, '--json']],
    ['releases', ['releases', p, '--env', 'production', '--json']],
    ['deploy --image', ['deploy', p, '--env', 'staging', '--image', `${app.imageName}:v1.1.0`, '--json']],
    ['promote', ['promote', p, '--from', 'staging', '--to', 'production', '--yes', '--json']],
    ['config:set', ['config:set', p, '--env', 'production', 'FEATURE_X=on', '--json']],
    ['rollback', ['rollback', p, '--env', 'production', '--json']],
  ];
  try {
    await slipway(app.createArgs);
    const measured: Measured[] = [];
    for (const [command, args] of steps) {
      proxy.reset();
      await slipway(args);
      const sequence = proxy.sequence();
      const update = sequence.indexOf('ecs:UpdateService');
      const polls = update === -1 ? 0 : sequence.slice(update).filter((op) => op === 'ecs:DescribeServices').length;
      measured.push({ command, total: proxy.total(), byOperation: proxy.counts(), polls, sequence });
    }
    return measured;
  } finally {
    await proxy.close();
    await rm(home, { recursive: true, force: true });
  }
}

export const pollsOf = (m: Measured): number => m.polls;

export const formatOperations = (m: Measured): string =>
  Object.entries(m.byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op.replace(/^ecs:/, '')} ${n}`)
    .join(', ');
