// deploy.started, deploy.failed and alarm.state reach a local receiver that verifies signatures: the
// deploys from the built CLI, the alarm change from a running `slipway serve` that watches the alarms
// of pipelines with hooks for it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '../../shared/contract/webhooks.js';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'slipway-webhook-events-'));
const env = { ...process.env, SLIPWAY_HOME: home, SLIPWAY_WEBHOOK_RETRY_MS: '200', SLIPWAY_SAMPLE_MS: '200' };
const slipway = async (...args: string[]) =>
  (await run(process.execPath, [resolve('bin/slipway.js'), ...args], { env })).stdout;

const received: { verified: boolean; body: WebhookPayload }[] = [];
let secret = '';
let receiver: Server;
let serve: ChildProcess | undefined;

function verify(raw: string, headers: Record<string, string | string[] | undefined>): boolean {
  const expected = 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');
  const given = String(headers['slipway-signature'] ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received.push({ verified: verify(raw, req.headers), body: JSON.parse(raw) as WebhookPayload });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const events = 'deploy.started,deploy.failed,alarm.state';
  const added = JSON.parse(
    await slipway('webhooks:add', 'demo', url, '--events', events, '--allow-private', '--json'),
  ) as { generatedSecret: string };
  secret = added.generatedSecret;
});
afterAll(async () => {
  serve?.kill('SIGTERM');
  if (serve && serve.exitCode === null) await new Promise((ok) => serve!.once('exit', ok));
  // The demo instances outlive the CLI by design; stop them so nothing keeps running after the test.
  await slipway('local:stop').catch(() => undefined);
  await new Promise<void>((ok) => receiver.close(() => ok()));
});

const of = (type: string) => received.filter((r) => r.body.type === type);

describe('webhook events beyond the activity feed', () => {
  it('sends deploy.started and deploy.failed for a deploy that fails, signed, with the error code', async () => {
    await expect(slipway('deploy', 'demo', '--env', 'staging', '--ref', 'no-such-ref')).rejects.toThrow();
    await expect.poll(() => of('deploy.failed').length, { timeout: 15_000 }).toBe(1);
    const [started] = of('deploy.started');
    const [failed] = of('deploy.failed');
    expect(started).toMatchObject({ verified: true, body: { pipeline: 'demo', environment: 'staging' } });
    expect(started!.body.result).toBeUndefined();
    expect(failed).toMatchObject({
      verified: true,
      body: { pipeline: 'demo', environment: 'staging', result: 'failed', errorCode: 'INVALID_INPUT' },
    });
    expect(failed!.body.summary).toMatch(/no-such-ref.*not a commit/);
  });

  it('sends alarm.state when an alarm watched by a running Slipway changes state', async () => {
    await slipway('deploy', 'demo', '--env', 'staging', '--ref', 'main');
    expect(of('deploy.started').length).toBeGreaterThanOrEqual(2);
    serve = spawn(process.execPath, [resolve('bin/slipway.js'), 'serve', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out.includes('\n'), { timeout: 20_000 }).toBe(true);
    // A running Slipway reads the environment's alarms first (none yet), so a new one in ALARM is a change.
    await new Promise((r) => setTimeout(r, 2_500));
    await slipway(
      'alarms:create',
      'demo',
      '--env',
      'staging',
      '--metric',
      'memory',
      '--threshold',
      '0.01',
      '--period',
      '10',
      '--name',
      'hungry',
    );
    await expect.poll(() => of('alarm.state').length, { timeout: 30_000 }).toBeGreaterThan(0);
    const [change] = of('alarm.state');
    expect(change).toMatchObject({
      verified: true,
      body: {
        pipeline: 'demo',
        environment: 'staging',
        alarm: { name: 'hungry', metric: 'memory', threshold: 0.01, state: 'ALARM' },
      },
    });
    expect(change!.body.summary).toMatch(/^Alarm hungry on demo\/staging is ALARM: memory/);
  });
});
