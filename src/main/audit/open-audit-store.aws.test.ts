// Switching a workspace's activity feed to a team bucket, through the router, with the AWS emulator as S3.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';
import { createEmulatorBucket, type EmulatorBucket } from './testing/emulator-bucket.js';

let s3: EmulatorBucket;
let home: string;
let services: Services | undefined;

beforeAll(async () => {
  s3 = await createEmulatorBucket('acme-activity');
  home = await mkdtemp(join(tmpdir(), 'slipway-activity-'));
});
afterAll(async () => {
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
  s3?.client.destroy();
});

describe('choosing where the activity feed lives', () => {
  it('refuses a bucket that does not exist and keeps the folder', async () => {
    services = await createServices({ home });
    const result = await services.router.call(
      'activity.setStore',
      { kind: 's3', bucket: `no-such-bucket-${s3.name}`, region: 'us-east-1' },
      { transport: 'cli' },
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining(`no-such-bucket-${s3.name}`) },
    });
    const workspace = JSON.parse(await readFile(join(home, 'workspace.json'), 'utf8'));
    expect(workspace.activity).toBeUndefined();
  });

  it('moves the feed to the team bucket, where every later action lands', async () => {
    const result = await services!.router.call(
      'activity.setStore',
      { kind: 's3', bucket: s3.name, prefix: 'slipway', region: 'us-east-1' },
      { transport: 'cli' },
    );
    expect(result).toEqual({ ok: true, value: { description: `s3://${s3.name}/slipway/`, restartNeeded: true } });
    await services!.dispose();

    services = await createServices({ home });
    const info = await services.router.call('system.info', {}, { transport: 'cli' });
    expect(info).toMatchObject({ ok: true, value: { auditStore: `s3://${s3.name}/slipway/` } });
    const deployed = await services.router.call(
      'deploy',
      { pipeline: 'demo', environment: 'staging', ref: 'HEAD' },
      { transport: 'cli' },
    );
    expect(deployed).toMatchObject({ ok: true });

    const listing = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.name, Prefix: 'slipway/' }));
    expect(listing.Contents?.map((o) => o.Key)).toEqual([
      expect.stringMatching(/^slipway\/\d{13}_\d{4}_demo_staging_.+\.json$/),
    ]);
    const feed = await services.router.call('activity.list', { pipeline: 'demo' }, { transport: 'cli' });
    expect(feed).toMatchObject({ ok: true, value: { events: [{ action: 'deploy', result: 'succeeded' }] } });
  });
});
