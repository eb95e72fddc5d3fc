// S3 goes away mid-run: activity events are spooled on disk, then uploaded in order once it is back.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model.js';
import { makeTeamCloud, ok, s3, startEmulatorProxy, teammate, type EmulatorProxy } from './testing/team-cloud.js';

let proxy: EmulatorProxy;
afterAll(async () => {
  await proxy?.close();
});

const listFeed = async (bucket: string): Promise<string[]> => {
  const answer = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'feed/' }));
  return (answer.Contents ?? []).map((o) => o.Key!);
};

describe('activity spool', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = (await makeTeamCloud()).bucket;
    proxy = await startEmulatorProxy();
  });

  it('keeps every event while S3 is unreachable and uploads them all, in order, when it answers again', async () => {
    const carol = teammate('carol');
    const env = { AWS_ENDPOINT_URL_S3: proxy.url };
    await ok(carol, ['activity:store', `s3://${bucket}/feed`, '--region', 'us-east-1'], env);
    const change = (grace: number) => ok(carol, ['env:set', 'demo', '--env', 'staging', '--grace', String(grace)], env);

    for (let i = 1; i <= 4; i++) await change(1000 + i);
    await proxy.down();
    for (let i = 5; i <= 10; i++) await change(1000 + i);
    const away = JSON.parse(await ok(carol, ['team', '--json'], env)) as { spooled: number };
    expect(away.spooled).toBe(6);
    expect(await listFeed(bucket)).toHaveLength(4);

    await proxy.up();
    // The upload starts as Slipway opens (any command) and is finished before it exits.
    await ok(carol, ['pipelines'], env);
    expect(JSON.parse(await ok(carol, ['team', '--json'], env))).toMatchObject({ spooled: 0 });

    const keys = await listFeed(bucket);
    expect(keys).toHaveLength(10);
    const events = (
      JSON.parse(await ok(carol, ['activity', '--json', '--limit', '50'], env)) as { events: AuditEvent[] }
    ).events;
    // Newest first, exactly the ten changes, none twice, in the order they were made.
    expect(events.map((e) => /→ 10(\d\d) ms/.exec(e.summary)?.[1])).toEqual([
      '10',
      '09',
      '08',
      '07',
      '06',
      '05',
      '04',
      '03',
      '02',
      '01',
    ]);
  });
});
