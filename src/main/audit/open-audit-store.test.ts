// Switching a workspace's activity feed to a team bucket, through the router, with s3rver as S3.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllLocal } from '../providers/local/index.js';
import { createServices, type Services } from '../services.js';
import { startS3rver, type S3rverProcess } from './testing/s3rver.js';

let s3: S3rverProcess;
let home: string;
let services: Services | undefined;
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startS3rver(['acme-activity']);
  home = await mkdtemp(join(tmpdir(), 'slipway-activity-'));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
});
afterAll(async () => {
  process.env = saved;
  await services?.dispose();
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
  await s3.stop();
});

describe('choosing where the activity feed lives', () => {
  it('refuses a bucket that does not exist and keeps the folder', async () => {
    services = await createServices({ home });
    const result = await services.router.call(
      'activity.setStore',
      { kind: 's3', bucket: 'no-such-bucket', region: 'eu-west-1' },
      { transport: 'cli' },
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/no-such-bucket/) },
    });
    const workspace = JSON.parse(await readFile(join(home, 'workspace.json'), 'utf8'));
    expect(workspace.activity).toBeUndefined();
  });

  it('moves the feed to the team bucket, where every later action lands', async () => {
    const result = await services!.router.call(
      'activity.setStore',
      { kind: 's3', bucket: 'acme-activity', prefix: 'slipway', region: 'eu-west-1' },
      { transport: 'cli' },
    );
    expect(result).toEqual({ ok: true, value: { description: 's3://acme-activity/slipway/', restartNeeded: true } });
    await services!.dispose();

    services = await createServices({ home });
    const info = await services.router.call('system.info', {}, { transport: 'cli' });
    expect(info).toMatchObject({ ok: true, value: { auditStore: 's3://acme-activity/slipway/' } });
    const deployed = await services.router.call(
      'deploy',
      { pipeline: 'demo', environment: 'staging', ref: 'HEAD' },
      { transport: 'cli' },
    );
    expect(deployed).toMatchObject({ ok: true });

    const client = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-1', forcePathStyle: true });
    const listing = await client.send(new ListObjectsV2Command({ Bucket: 'acme-activity', Prefix: 'slipway/' }));
    client.destroy();
    expect(listing.Contents?.map((o) => o.Key)).toEqual([
      expect.stringMatching(/^slipway\/\d{13}_\d{4}_demo_staging_.+\.json$/),
    ]);
    const feed = await services.router.call('activity.list', { pipeline: 'demo' }, { transport: 'cli' });
    expect(feed).toMatchObject({ ok: true, value: { events: [{ action: 'deploy', result: 'succeeded' }] } });
  });
});
