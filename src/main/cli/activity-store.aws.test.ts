// The team's S3 activity feed through the built `bin/slipway` (the bundle, as a user runs it) against the
// AWS emulator's S3, which enforces conditional writes: teammates writing at the same moment lose nothing.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPageSchema } from '../../shared/contract/index.js';
import { createEmulatorBucket, type EmulatorBucket } from '../audit/testing/emulator-bucket.js';
import { stopAllLocal } from '../providers/local/index.js';
import { packageInfo } from './package-root.js';

const WRITERS = 20;
const bin = join(packageInfo().root, 'bin', 'slipway.js');
let s3: EmulatorBucket;
const homes: string[] = [];

async function slipway(home: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...argv], {
      env: { ...process.env, SLIPWAY_HOME: home, NODE_NO_WARNINGS: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  s3 = await createEmulatorBucket('acme-ops');
  for (let i = 0; i < WRITERS; i++) homes.push(await mkdtemp(join(tmpdir(), 'slipway-teammate-')));
});
afterAll(async () => {
  for (const home of homes) {
    await stopAllLocal(home);
    await rm(home, { recursive: true, force: true });
  }
  s3?.client.destroy();
});

describe('the S3 activity feed from the built CLI', () => {
  it('moves the feed to the team bucket', async () => {
    const result = await slipway(homes[0]!, 'activity:store', `s3://${s3.name}/slipway`, '--region', 'us-east-1');
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`now kept in s3://${s3.name}/slipway/`) });
  });

  it(`keeps all ${WRITERS} events when ${WRITERS} teammates' CLIs write at the same moment`, async () => {
    await Promise.all(
      homes.slice(1).map(async (home) => {
        const moved = await slipway(home, 'activity:store', `s3://${s3.name}/slipway`, '--region', 'us-east-1');
        expect(moved.code, moved.stderr).toBe(0);
      }),
    );
    // Each teammate changes a setting of their own demo pipeline: one activity event each, no deploy.
    const written = await Promise.all(
      homes.map((home, i) => slipway(home, 'env:set', 'demo', '--env', 'staging', '--grace', String(6_000 + i))),
    );
    expect(written.map((r) => r.code)).toEqual(homes.map(() => 0));

    const listing = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.name, Prefix: 'slipway/' }));
    expect(listing.Contents).toHaveLength(WRITERS);

    const feed = await slipway(homes[0]!, 'activity', 'demo', '--json');
    expect(feed.code, feed.stderr).toBe(0);
    const { events } = activityPageSchema.parse(JSON.parse(feed.stdout));
    expect(events.filter((e) => e.action === 'environment.configure' && e.result === 'succeeded')).toHaveLength(
      WRITERS,
    );
    expect(new Set(events.map((e) => e.summary)).size).toBe(WRITERS);
  });
});
