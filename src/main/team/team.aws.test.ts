// Two teammates as two real `slipway` processes (own SLIPWAY_HOME, own identity) on one bucket of the
// AWS emulator: a shared workspace, deploy leases across processes, and conditional writes.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/model.js';
import { createTeamS3Client } from './s3-client.js';
import { createS3WorkspaceStore } from './s3-workspace-store.js';
import {
  makeTeamCloud,
  ok,
  s3,
  slipway,
  startEmulatorProxy,
  teammate,
  until,
  type EmulatorProxy,
  type TeamCloud,
  type Teammate,
} from './testing/team-cloud.js';

let cloud: TeamCloud;
let alice: Teammate;
let bob: Teammate;
let slowEcs: EmulatorProxy;
/** While set, Alice's ECS UpdateService waits for it: her deploy holds the lease until the test lets go. */
let gate: Promise<unknown> | undefined;
const image = (c: string): string => `nginx@sha256:${c.repeat(64)}`;

const feed = async (who: Teammate): Promise<AuditEvent[]> =>
  (JSON.parse(await ok(who, ['activity', '--json', '--limit', '100'])) as { events: AuditEvent[] }).events;

beforeAll(async () => {
  cloud = await makeTeamCloud();
  // Alice's ECS holds UpdateService back while a test says so, so her deploy is still running when
  // Bob's starts, however slowly a loaded machine starts his process.
  slowEcs = await startEmulatorProxy((req) =>
    String(req.headers['x-amz-target'] ?? '').endsWith('.UpdateService') ? gate : undefined,
  );
  // Leases long enough that a busy machine still renews them in time; the kill test shortens Alice's.
  alice = teammate('alice', { AWS_ENDPOINT_URL_ECS: slowEcs.url, SLIPWAY_LEASE_SECONDS: '15' });
  bob = teammate('bob', { SLIPWAY_LEASE_SECONDS: '15' });
  const where = `s3://${cloud.bucket}/acme/slipway`;
  await ok(alice, ['team:join', where, '--region', 'us-east-1']);
  await ok(alice, [
    'pipelines:create',
    'web',
    '--provider',
    'aws-ecs',
    '--region',
    'us-east-1',
    '--env',
    `production=${cloud.cluster}/${cloud.service}`,
  ]);
  await ok(bob, ['team:join', where, '--region', 'us-east-1']);
});
afterAll(async () => {
  await slowEcs?.close();
});

describe('team workspace on S3', () => {
  it('shows a pipeline one teammate created to the other', async () => {
    const list = JSON.parse(await ok(bob, ['pipelines', '--json'])) as { name: string }[];
    expect(list.map((p) => p.name)).toEqual(['web']);
    const status = JSON.parse(await ok(bob, ['team', '--json'])) as { description: string };
    expect(status.description).toBe(`s3://${cloud.bucket}/acme/slipway/`);
  });

  it('refuses a change made on a stale read with CONFLICT; the re-read has the teammate’s change', async () => {
    const location = { bucket: cloud.bucket, prefix: 'acme/slipway', region: 'us-east-1' };
    const client = createTeamS3Client(location);
    const mine = createS3WorkspaceStore(location, client);
    const theirs = createS3WorkspaceStore(location, createTeamS3Client(location));
    await mine.create({
      name: 'shop',
      environments: [
        { name: 'staging', target: { provider: 'aws-ecs', region: 'us-east-1', cluster: 'c', service: 's' } },
      ],
    });
    await expect(mine.create({ name: 'shop', environments: [] as never })).rejects.toMatchObject({ code: 'CONFLICT' });
    // The teammate saves between our read and our write.
    let raced = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && !raced) {
          raced = true;
          await theirs.updateTarget('shop', 'staging', (t) => ({ ...t, cluster: 'theirs' }));
        }
        return next(args);
      },
      { step: 'initialize', name: 'teammateSavesFirst' },
    );
    await expect(mine.updateTarget('shop', 'staging', (t) => ({ ...t, service: 'mine' }))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await mine.get('shop')).environments[0]!.target).toMatchObject({ cluster: 'theirs', service: 's' });
    // Saved again on the fresh read: both changes kept.
    await mine.updateTarget('shop', 'staging', (t) => ({ ...t, service: 'mine' }));
    const object = await s3().send(
      new GetObjectCommand({ Bucket: cloud.bucket, Key: 'acme/slipway/pipelines/shop.json' }),
    );
    expect(JSON.parse(await object.Body!.transformToString())).toMatchObject({
      environments: [{ target: { cluster: 'theirs', service: 'mine' } }],
    });
  });
});

describe('deploy leases across teammates', () => {
  it('runs simultaneous deploys to one environment one after the other, both in the feed', async () => {
    let letGo = (): void => undefined;
    gate = new Promise<void>((resolve) => (letGo = resolve));
    const first = slipway(alice, ['deploy', 'web', '--env', 'production', '--image', image('b')]);
    await until(async () => first.stderr().includes('Roll out'), 60_000, "Alice's rollout");
    const second = slipway(bob, ['deploy', 'web', '--env', 'production', '--image', image('c')]);
    await until(async () => second.stderr().includes('waiting for alice'), 60_000, 'Bob to wait for Alice');
    gate = undefined;
    letGo();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/waiting for alice: Deploy .* to production, started \d+ s ago/);
    const events = (await feed(bob)).filter((e) => e.action === 'deploy');
    // Newest first: Bob's deploy ran after Alice's and replaced her release.
    expect(events.map((e) => [e.actor.user, e.result])).toEqual([
      ['bob', 'succeeded'],
      ['alice', 'succeeded'],
    ]);
    expect(events[0]!.beforeVersion).toBe(events[1]!.afterVersion);
  }, 240_000);

  it('lets the next deploy go ahead once a killed holder’s lease expires, and says so in the feed', async () => {
    // Held until the end of the test: Alice never gets past UpdateService; only her lease's expiry frees Bob.
    gate = new Promise(() => undefined);
    const holder = slipway(alice, ['deploy', 'web', '--env', 'production', '--image', image('d')], {
      SLIPWAY_LEASE_SECONDS: '4',
    });
    await until(async () => holder.stderr().includes('Roll out'), 60_000, "Alice's rollout");
    const waiting = slipway(bob, ['deploy', 'web', '--env', 'production', '--image', image('e')]);
    await until(async () => waiting.stderr().includes('waiting for alice'), 60_000, 'Bob to wait for Alice');
    holder.child.kill('SIGKILL');
    const killed = await holder.done;
    expect(killed.signal).toBe('SIGKILL');
    gate = undefined;
    const result = await waiting.done;
    expect(result.stderr).toContain("alice's lease");
    expect(result.code).toBe(0);
    const events = await feed(bob);
    const expired = events.find((e) => e.action === 'environment.lease-expired');
    expect(expired).toMatchObject({ actor: { user: 'bob' }, pipeline: 'web', environment: 'production' });
    expect(expired!.summary).toContain("alice's deploy lease on web/production expired");
    expect(events[0]).toMatchObject({ action: 'deploy', result: 'succeeded', actor: { user: 'bob' } });
  }, 240_000);
});

describe('webhooks of a team workspace', () => {
  it("are kept in the bucket: a hook Alice added is sent by Bob's Slipway when Bob deploys", async () => {
    const received: { verified: boolean; body: { type: string; actor: { user: string } } }[] = [];
    let secret = '';
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
        received.push({
          verified: req.headers['slipway-signature'] === expected,
          body: JSON.parse(raw) as (typeof received)[number]['body'],
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const added = JSON.parse(
        await ok(alice, ['webhooks:add', 'web', url, '--events', 'deploy', '--allow-private', '--json']),
      ) as { hook: { id: string }; generatedSecret: string };
      secret = added.generatedSecret;
      const listed = await ok(bob, ['webhooks', 'web', '--json']);
      expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id: added.hook.id, url })]);
      expect(listed).not.toContain(secret);

      await ok(bob, ['deploy', 'web', '--env', 'production', '--image', image('f')]);
      await until(async () => received.length > 0, 60_000, "Bob's delivery");
      expect(received).toEqual([
        {
          verified: true,
          body: expect.objectContaining({ type: 'deploy', actor: expect.objectContaining({ user: 'bob' }) }),
        },
      ]);
      // The delivery log is the machine's that sent it.
      const bobs = JSON.parse(await ok(bob, ['webhooks:deliveries', 'web', '--json'])) as { status: string }[];
      expect(bobs.map((d) => d.status)).toEqual(['delivered']);
      expect(JSON.parse(await ok(alice, ['webhooks:deliveries', 'web', '--json']))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, 240_000);
});
