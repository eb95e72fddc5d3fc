// Webhooks from the built CLI to a local receiver that verifies signatures the way docs/webhooks.md
// tells receivers to: a receiver failing three times gets the event exactly once, with every attempt logged.
import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../shared/contract/webhooks.js';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'slipway-webhooks-'));
const env = { ...process.env, SLIPWAY_HOME: home, SLIPWAY_WEBHOOK_RETRY_MS: '200' };
const slipway = async (...args: string[]) =>
  (await run(process.execPath, [resolve('bin/slipway.js'), ...args], { env })).stdout;
const refused = (...args: string[]) =>
  run(process.execPath, [resolve('bin/slipway.js'), ...args], { env }).then(
    () => '',
    (error: { stderr: string }) => error.stderr,
  );

/** docs/webhooks.md's receiver check, verbatim. */
function verify(secret: string, rawBody: string, headers: Record<string, string | string[] | undefined>): boolean {
  const expected = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  const given = String(headers['slipway-signature'] ?? '');
  const sentAt = Number(headers['slipway-timestamp']);
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return false;
  if (Math.abs(Date.now() / 1000 - sentAt) > 300) return false; // too old: a replay
  return (JSON.parse(rawBody) as { sentAt: number }).sentAt === sentAt;
}

let receiver: Server;
let url = '';
let secret = '';
const received: { status: number; verified: boolean; body: { id: string; type: string; keys?: string[] } }[] = [];
let failuresLeft = 3;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const verified = verify(secret, raw, req.headers);
      const status = !verified ? 401 : failuresLeft-- > 0 ? 500 : 200;
      received.push({ status, verified, body: JSON.parse(raw) as (typeof received)[number]['body'] });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((ok) => receiver.close(() => ok())));

describe('webhooks', () => {
  it('refuses loopback targets unless allowed for the hook, and anything but http(s)', async () => {
    expect(await refused('webhooks:add', 'demo', url, '--events', 'deploy')).toMatch(
      /private or loopback address \(127\.0\.0\.1\).*--allow-private/,
    );
    expect(await refused('webhooks:add', 'demo', 'file:///etc/passwd', '--events', 'deploy')).toMatch(/http or https/);
    expect(await refused('webhooks:add', 'demo', url, '--events', 'nonsense')).toMatch(/Unknown event/);
  });

  it('delivers once after three failures, signed, with every attempt in the delivery log', async () => {
    const added = JSON.parse(
      await slipway('webhooks:add', 'demo', url, '--events', 'environment.configure', '--allow-private', '--json'),
    ) as { hook: { id: string }; generatedSecret: string };
    secret = added.generatedSecret;
    expect(secret).toMatch(/^whsec_/);
    expect(await slipway('webhooks', 'demo')).not.toContain(secret);

    await slipway('env:set', 'demo', '--env', 'staging', '--grace', '4321');
    let deliveries: WebhookDelivery[] = [];
    // Any Slipway process of the workspace retries what is due; each of these runs one pass.
    for (let i = 0; i < 40 && deliveries[0]?.status !== 'delivered'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      deliveries = JSON.parse(await slipway('webhooks:deliveries', 'demo', '--json')) as WebhookDelivery[];
    }
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ type: 'environment.configure', status: 'delivered' });
    expect(deliveries[0]!.attempts.map((a) => a.responseCode)).toEqual([500, 500, 500, 200]);
    expect(received.map((r) => [r.status, r.verified])).toEqual([
      [500, true],
      [500, true],
      [500, true],
      [200, true],
    ]);
    // The same event every time: one id a receiver can deduplicate on.
    expect(new Set(received.map((r) => r.body.id)).size).toBe(1);

    const again = JSON.parse(await slipway('webhooks:redeliver', deliveries[0]!.id, '--json')) as WebhookDelivery;
    for (let i = 0; i < 20 && received.length < 5; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await slipway('webhooks:deliveries', 'demo', '--json');
    }
    expect(again.eventId).toBe(deliveries[0]!.eventId);
    expect(received.at(-1)).toMatchObject({ status: 200, verified: true, body: { id: deliveries[0]!.eventId } });
  });
});
