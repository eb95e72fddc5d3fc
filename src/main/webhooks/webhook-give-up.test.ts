// A receiver that never answers 2xx: retries back off up to an hour apart and stop 24 h after the first
// attempt; the hook is then marked failing until a delivery to it succeeds. The dispatcher's clock is
// moved on by hand (no real waiting); the HTTP attempts to the local receiver are real.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../shared/contract/webhooks.js';
import { GIVE_UP_AFTER_MS, WebhookDispatcher } from './webhook-dispatcher.js';
import { createWebhookStore, publicHook } from './webhook-store.js';

const HOUR = 3_600_000;
let status = 500;
let hits = 0;
let receiver: Server;
let url = '';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((ok) => receiver.close(() => ok())));

const payload = (id: string) => ({
  id,
  type: 'promote' as const,
  occurredAt: new Date(0).toISOString(),
  pipeline: 'shop',
  actor: { user: 'alice' },
  summary: 'Promote staging v1 to production',
});

describe('webhook retries over 24 hours', () => {
  it('gives up 24 h after the first attempt, marks the hook failing, and clears the mark on the next success', async () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    const store = createWebhookStore(mkdtempSync(join(tmpdir(), 'slipway-giveup-')));
    const hook = {
      id: 'wh_giveup',
      pipeline: 'shop',
      url,
      events: ['*' as const],
      allowPrivate: true,
      createdAt: new Date(clock).toISOString(),
      secret: 'a-secret-of-enough-length',
    };
    await store.update(() => [hook]);
    const dispatcher = new WebhookDispatcher(store, { retryMs: 10_000, log: () => undefined, now: () => clock });
    const first = clock;
    const [queued] = await dispatcher.enqueue([hook], payload('evt-1'));

    let delivery: WebhookDelivery | undefined;
    for (let turn = 0; turn < 200; turn++) {
      await dispatcher.runDue();
      [delivery] = await dispatcher.list({ pipeline: 'shop', limit: 1 });
      if (delivery?.status !== 'pending') break;
      clock = Date.parse(delivery.nextAttemptAt!);
    }

    expect(delivery).toMatchObject({ id: queued!.id, status: 'failed' });
    const times = delivery!.attempts.map((a) => Date.parse(a.at) - first);
    expect(delivery!.attempts.every((a) => a.responseCode === 500)).toBe(true);
    expect(hits).toBe(delivery!.attempts.length);
    // Backoff: 10 s, 20 s, 40 s ... never more than an hour apart.
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.slice(0, 3)).toEqual([10_000, 20_000, 40_000]);
    expect(Math.max(...gaps)).toBe(HOUR);
    // Nothing is tried after 24 h, and it gave up within the last hour of them.
    expect(times.at(-1)).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(times.at(-1)).toBeGreaterThan(GIVE_UP_AFTER_MS - HOUR);
    const [failing] = (await store.list()).map(publicHook);
    expect(failing!.failingSince).toBe(new Date(first).toISOString());

    // Later no pass tries it again...
    clock += 2 * HOUR;
    await dispatcher.runDue();
    expect(hits).toBe(delivery!.attempts.length);

    // ...and the next event that gets through clears the mark.
    status = 200;
    await dispatcher.enqueue([hook], payload('evt-2'));
    // enqueue also starts a pass of its own; whichever holds the delivery's lock sends it.
    await expect
      .poll(async () => {
        await dispatcher.runDue();
        return (await dispatcher.list({ pipeline: 'shop', limit: 1 }))[0];
      })
      .toMatchObject({ eventId: 'evt-2', status: 'delivered' });
    expect((await store.list())[0]!.failingSince).toBeUndefined();
    await dispatcher.dispose();
  });
});
