// The S3 store against the AWS emulator's S3 over real HTTP (it enforces conditional writes): what a
// team's shared feed does.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model.js';
import { auditKey } from './audit-keys.js';
import { createS3AuditStore } from './s3-audit-store.js';
import { createEmulatorBucket } from './testing/emulator-bucket.js';

let bucket: string;
let client: S3Client;
let listCalls = 0;

beforeAll(async () => {
  ({ name: bucket, client } = await createEmulatorBucket('team-activity'));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListObjectsV2Command') listCalls++;
      return next(args);
    },
    { step: 'initialize', name: 'countLists' },
  );
});
afterAll(() => {
  client?.destroy();
});

let n = 0;
const event = (pipeline: string, environment: string, minute: number): AuditEvent => ({
  id: `evt-${++n}`,
  at: new Date(Date.UTC(2026, 5, 1, 12, minute)).toISOString(),
  actor: { user: 'grace', email: 'grace@example.com' },
  action: 'promote',
  pipeline,
  environment,
  result: 'succeeded',
  summary: `event ${n}`,
});

describe('S3 audit store', () => {
  it('reads the latest page of the feed with one list call, newest first, then pages on', async () => {
    const store = createS3AuditStore({ client, bucket, prefix: 'acme/activity' });
    for (let minute = 0; minute < 5; minute++) await store.append(event('shop', 'production', minute));
    listCalls = 0;
    const first = await store.list({ limit: 2 });
    expect(listCalls).toBe(1);
    expect(first.events.map((e) => e.at.slice(11, 16))).toEqual(['12:04', '12:03']);
    const second = await store.list({ limit: 2, cursor: first.cursor });
    const third = await store.list({ limit: 2, cursor: second.cursor });
    expect(second.events.map((e) => e.at.slice(11, 16))).toEqual(['12:02', '12:01']);
    expect(third.events.map((e) => e.at.slice(11, 16))).toEqual(['12:00']);
    expect(third.cursor).toBeUndefined();
  });

  it('keeps every event as its own object under the prefix', async () => {
    const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'acme/activity/' }));
    expect(listing.Contents?.length).toBe(5);
    expect(
      listing.Contents?.every((o) => /^acme\/activity\/\d{13}_\d{4}_shop_production_evt-\d+\.json$/.test(o.Key ?? '')),
    ).toBe(true);
  });

  it('filters by pipeline and environment from the key names', async () => {
    const store = createS3AuditStore({ client, bucket, prefix: 'filters' });
    await store.append(event('shop', 'staging', 10));
    await store.append(event('blog', 'staging', 11));
    await store.append(event('shop', 'production', 12));
    expect((await store.list({ limit: 10, pipeline: 'shop' })).events.map((e) => e.environment)).toEqual([
      'production',
      'staging',
    ]);
    expect((await store.list({ limit: 10, pipeline: 'shop', environment: 'staging' })).events).toHaveLength(1);
  });

  it("shows a teammate's new event to a watcher", async () => {
    const mine = createS3AuditStore({ client, bucket, prefix: 'watch', pollMs: 50 });
    const theirs = createS3AuditStore({ client, bucket, prefix: 'watch' });
    await theirs.append({ ...event('shop', 'staging', 1), at: '2020-01-01T00:00:00.000Z', summary: 'old news' });
    const seen: string[] = [];
    const watching = mine.watch((e) => seen.push(e.summary));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await theirs.append({
      ...event('shop', 'staging', 2),
      at: new Date().toISOString(),
      summary: 'promoted by a teammate',
    });
    await expect.poll(() => seen, { timeout: 5_000 }).toEqual(['promoted by a teammate']);
    await watching.dispose();
  });

  it("finds teammates' new events with one StartAfter listing per poll, also from a clock running behind", async () => {
    // The watcher has a client of its own so its calls can be counted apart from the writers'.
    const own = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true });
    const calls: { command: string; input: { Prefix?: string; StartAfter?: string } }[] = [];
    own.middlewareStack.add(
      (next, context) => async (args) => {
        const answer = await next(args);
        // Noted once answered: the first poll has then learnt what was there before.
        calls.push({ command: context.commandName ?? '', input: args.input as (typeof calls)[number]['input'] });
        return answer;
      },
      { step: 'initialize', name: 'recordCalls' },
    );
    const pollMs = 100;
    const mine = createS3AuditStore({ client: own, bucket, prefix: 'skew/activity', pollMs });
    const alice = createS3AuditStore({ client, bucket, prefix: 'skew/activity' });
    const bob = createS3AuditStore({ client, bucket, prefix: 'skew/activity', now: () => Date.now() - 20_000 });
    await alice.append({ ...event('shop', 'staging', 1), at: new Date().toISOString(), summary: 'before' });
    const seen: string[] = [];
    const started = Date.now();
    const watching = mine.watch((e) => seen.push(e.summary));
    await expect.poll(() => calls.length, { timeout: 5_000 }).toBeGreaterThan(0);
    await alice.append({ ...event('shop', 'staging', 2), at: new Date().toISOString(), summary: 'alice' });
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['alice']);
    // Bob's clock is 20 s behind: his event sorts before Alice's, and is found all the same.
    await bob.append({
      ...event('shop', 'production', 3),
      at: new Date(Date.now() - 20_000).toISOString(),
      summary: 'bob',
    });
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['alice', 'bob']);
    const lists = calls.filter((c) => c.command === 'ListObjectsV2Command');
    await watching.dispose();
    const elapsed = Date.now() - started;
    // One list per poll (a poll waits pollMs after the last ended), each from a point in time...
    expect(lists.length).toBeLessThanOrEqual(Math.ceil(elapsed / pollMs) + 1);
    expect(
      lists.every(
        (c) =>
          c.input.Prefix === 'skew/activity-time/' && /^skew\/activity-time\/\d{13}~$/.test(c.input.StartAfter ?? ''),
      ),
    ).toBe(true);
    // ...and each new event read once: nothing is re-read, the event from before the watch not at all.
    expect(calls.filter((c) => c.command === 'GetObjectCommand')).toHaveLength(2);
    own.destroy();
  });

  it('never overwrites an existing event, even one written with the same key', async () => {
    const store = createS3AuditStore({ client, bucket, prefix: 'append-only' });
    const first = event('shop', 'production', 30);
    await store.append(first);
    // A retry of the very same event (its first answer lost) is not an error and writes nothing new.
    await store.append(first);
    await expect(store.append({ ...first, summary: 'a rewrite of history' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already exists/),
    });
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `append-only/${auditKey(first)}` }));
    expect(JSON.parse(await object.Body!.transformToString())).toMatchObject({ summary: first.summary });
    expect((await store.list({ limit: 10 })).events.map((e) => e.summary)).toEqual([first.summary]);
  });

  it('says clearly when the bucket does not exist', async () => {
    const store = createS3AuditStore({ client, bucket: 'no-such-bucket' });
    await expect(store.list({ limit: 5 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no-such-bucket/),
    });
  });
});
