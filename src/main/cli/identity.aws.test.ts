// Who acted on a cloud environment is the STS identity its calls were made as: the built `bin/slipway`
// against the AWS emulator (GetCallerIdentity answers arn:aws:sts::123456789012:user/moto) records it in
// the activity event and the release's tags, and shows it beside the person; a local pipeline does not.
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPageSchema, releaseListItemSchema } from '../../shared/contract/index.js';
import { stopAllLocal } from '../providers/local/index.js';
import { createEmulatorApp, REGION, type EmulatorApp } from '../providers/aws-ecs/testing/emulator-app.js';
import { packageInfo } from './package-root.js';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';
const bin = join(packageInfo().root, 'bin', 'slipway.js');
const MOTO = { account: '123456789012', arn: 'arn:aws:sts::123456789012:user/moto' };
let app: EmulatorApp;
let home: string;

async function slipway(...argv: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...argv], {
    env: { ...process.env, SLIPWAY_HOME: home, SLIPWAY_ACTOR: 'grace', NODE_NO_WARNINGS: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

beforeAll(async () => {
  app = await createEmulatorApp(endpoint);
  home = await mkdtemp(join(tmpdir(), 'slipway-identity-'));
  await slipway(...app.createArgs);
});
afterAll(async () => {
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('the cloud identity in the audit', () => {
  it('records the STS caller in the activity event and the release, and shows it beside the person', async () => {
    await slipway('config:set', app.pipeline, '--env', 'staging', 'FEATURE_X=on');

    const { events } = activityPageSchema.parse(JSON.parse(await slipway('activity', app.pipeline, '--json')));
    expect(events[0]).toMatchObject({ action: 'config.set', actor: { user: 'grace', cloud: MOTO } });
    expect(await slipway('activity', app.pipeline)).toContain(`grace (${MOTO.arn})`);

    const releases = releaseListItemSchema
      .array()
      .parse(JSON.parse(await slipway('releases', app.pipeline, '--env', 'staging', '--json')));
    const made = releases.find((r) => r.current)!;
    expect(made).toMatchObject({ kind: 'config', actor: { user: 'grace', cloud: MOTO } });
    expect(await slipway('releases', app.pipeline, '--env', 'staging')).toContain(`grace (${MOTO.arn})`);
    expect(await slipway('status', app.pipeline)).toContain(`staging v${made.version} by grace (${MOTO.arn})`);

    // The revision itself carries it, so any tool reading the task definition sees who made it.
    const ecs = new ECSClient({ region: REGION, endpoint });
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: `${app.families.staging}:${made.version}`,
        include: ['TAGS'],
      }),
    );
    ecs.destroy();
    expect(described.tags).toContainEqual({ key: 'slipway:actor-arn', value: MOTO.arn });
  });

  it('keeps the OS user alone on a local pipeline', async () => {
    await slipway('env:set', 'demo', '--env', 'staging', '--grace', '6001');
    const { events } = activityPageSchema.parse(JSON.parse(await slipway('activity', 'demo', '--json')));
    expect(events[0]).toMatchObject({ action: 'environment.configure', actor: { user: 'grace' } });
    expect(events[0]?.actor.cloud).toBeUndefined();
  });
});
