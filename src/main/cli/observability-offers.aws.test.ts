// `slipway alarms:guard-deploys` and the per-instance metrics offer, run as the built bin/slipway
// against the AWS emulator: the rollouts of the service end up watched by the alarm, with rollback.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchClient, DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPageSchema, metricsResultSchema } from '../../shared/contract/index.js';
import { createEmulatorApp, REGION, type EmulatorApp } from '../providers/aws-ecs/testing/emulator-app.js';
import { packageInfo } from './package-root.js';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';
const bin = join(packageInfo().root, 'bin', 'slipway.js');
const aws = { region: REGION, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
let app: EmulatorApp;
let home: string;
const made: string[] = [];

async function slipway(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...argv], {
      env: { ...process.env, SLIPWAY_HOME: home, SLIPWAY_ACTOR: 'grace', NODE_NO_WARNINGS: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  app = await createEmulatorApp(endpoint);
  home = await mkdtemp(join(tmpdir(), 'slipway-offers-cli-'));
  const created = await slipway(...app.createArgs);
  if (created.code !== 0) throw new Error(created.stderr);
});
afterAll(async () => {
  if (made.length > 0) await new CloudWatchClient(aws).send(new DeleteAlarmsCommand({ AlarmNames: made }));
  await rm(home, { recursive: true, force: true });
});

describe('guarding rollouts with alarms from the CLI (emulator)', () => {
  it('attaches the named alarm to the service as a deployment alarm with rollback, once', async () => {
    const none = await slipway('alarms:guard-deploys', app.pipeline, '--env', 'staging', '--yes');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Create a cpu, memory or target5xx alarm first');

    const name = `${app.pipeline}-staging-memory-80`;
    const created = await slipway(
      'alarms:create',
      app.pipeline,
      '--env',
      'staging',
      '--metric',
      'memory',
      '--threshold',
      '80',
    );
    expect(created.stderr).toBe('');
    made.push(name);

    const guarded = await slipway(
      'alarms:guard-deploys',
      app.pipeline,
      '--env',
      'staging',
      '--alarm',
      name,
      '--yes',
      '--json',
    );
    expect(guarded.stderr).toBe('');
    expect(JSON.parse(guarded.stdout)).toEqual({ alarms: [name], rollback: true, changed: true });
    const described = await new ECSClient(aws).send(
      new DescribeServicesCommand({ cluster: app.cluster, services: ['web-staging'] }),
    );
    expect(described.services?.[0]?.deploymentConfiguration?.alarms).toEqual({
      alarmNames: [name],
      enable: true,
      rollback: true,
    });

    const again = await slipway('alarms:guard-deploys', app.pipeline, '--env', 'staging', '--yes');
    expect(again.stdout).toBe(
      `Rollouts of staging are already watched by ${name} and roll back when one fires; nothing changed.\n`,
    );
    const unknown = await slipway('alarms:guard-deploys', app.pipeline, '--env', 'staging', '--alarm', 'nope', '--yes');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no alarm named nope');

    const feed = activityPageSchema.parse(JSON.parse((await slipway('activity', app.pipeline, '--json')).stdout));
    expect(feed.events.filter((event) => event.action === 'environment.guard-deploys')).toHaveLength(1);
  });

  it('offers per-instance metrics with their cost where Container Insights is off', async () => {
    const result = metricsResultSchema.parse(
      JSON.parse((await slipway('metrics', app.pipeline, '--env', 'staging', '--json')).stdout),
    );
    expect(result.detailedOffer).toEqual({
      what: 'Container Insights',
      cost: expect.stringMatching(/^CloudWatch bills/),
    });
    expect((await slipway('metrics', app.pipeline, '--env', 'staging')).stdout).toContain(
      'Turn on per-instance metrics (Container Insights): slipway metrics:enable-detailed PIPELINE --env ENV',
    );
    const unasked = await slipway('metrics:enable-detailed', app.pipeline, '--env', 'staging');
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain('Pass --yes');
  });
});
