// The Webhooks page as a person uses it: a hook to a local receiver (which verifies signatures), its
// secret shown once, a delivery in the log after a change, and a redelivery of it. And the Team page's
// join form refusing a bucket that does not exist on the AWS emulator's S3.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.js';
import { PIPELINE } from './support/app.js';

// The server this file starts talks to the AWS emulator (dummy credentials: it accepts any signature);
// the settings are put back afterwards so other files' servers do not get them.
const AWS_SETTINGS = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:5555',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
} as const;
const saved = Object.fromEntries(Object.keys(AWS_SETTINGS).map((k) => [k, process.env[k]]));

test.describe.configure({ mode: 'serial' });

const received: { verified: boolean; id: string; type: string }[] = [];
let secret = '';
let receiver: Server;
let url = '';

test.beforeAll(async () => {
  for (const [key, value] of Object.entries(AWS_SETTINGS)) process.env[key] ??= value;
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['slipway-signature'] ?? ''));
      const body = JSON.parse(raw) as { id: string; type: string };
      received.push({
        verified: given.length === expected.length && timingSafeEqual(given, expected),
        id: body.id,
        type: body.type,
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
test.afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await new Promise<void>((ok) => receiver.close(() => ok()));
});

test('add a webhook, see its secret once, a delivery in the log, and redeliver it', async ({ page, slipway }) => {
  await slipway.open(page, `#/pipelines/${PIPELINE}/webhooks`);
  await expect(page.getByRole('heading', { level: 1, name: `${PIPELINE} webhooks` })).toBeVisible();
  await expect(page.getByText('No webhooks yet.')).toBeVisible();

  const form = page.getByTestId('webhook-add');
  await form.getByRole('textbox', { name: 'URL' }).fill(url);
  await form.getByRole('textbox', { name: 'Events' }).fill('environment.configure');
  // A loopback target is refused until the person allows it for this hook.
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await expect(form.getByText(/private or loopback address/)).toBeVisible();
  await form.getByRole('checkbox', { name: /Allow a loopback or private-network address/ }).check();
  await form.getByRole('button', { name: 'Add webhook' }).click();

  const shown = page.getByTestId('webhook-secret');
  await expect(shown).toContainText('shown this once');
  secret = (await shown.locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^whsec_/);
  const hook = page.getByTestId('webhook');
  await expect(hook).toContainText(url);
  await expect(hook).toContainText('ok');

  // Opened again, the page lists the hook but never its secret.
  await page.reload();
  await expect(page.getByTestId('webhook')).toContainText('environment.configure');
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
  expect(await page.locator('body').innerText()).not.toContain(secret);

  // A change from the CLI is delivered, and the window's log shows it.
  const changed = await slipway.cli('env:set', PIPELINE, '--env', 'staging', '--grace', '4321');
  expect(changed.code, changed.stderr).toBe(0);
  const delivery = page.getByTestId('webhook-delivery');
  await expect(delivery).toHaveCount(1);
  await expect(delivery).toHaveAttribute('data-status', 'delivered');
  await expect(delivery).toContainText('environment.configure');
  await expect(delivery).toContainText('HTTP 200');
  expect(received).toEqual([{ verified: true, id: expect.any(String), type: 'environment.configure' }]);

  await delivery.getByRole('button', { name: 'Redeliver' }).click();
  await expect(page.getByTestId('webhook-delivery')).toHaveCount(2);
  await expect(page.getByTestId('webhook-delivery').first()).toHaveAttribute('data-status', 'delivered');
  // The same event again, signed again: a receiver can tell it is a repeat by its id.
  await expect.poll(() => received.length).toBe(2);
  expect(received[1]).toEqual({ ...received[0], verified: true });
  await page.screenshot({ path: test.info().outputPath('webhooks-page.png') });
});

test('the Team page refuses a bucket that does not exist, and stays on this machine', async ({ page, slipway }) => {
  await slipway.open(page, '#/team');
  const form = page.getByTestId('team-join-form');
  await form.getByRole('textbox', { name: 'Bucket and prefix' }).fill('acme/slipway');
  await form.getByRole('textbox', { name: 'Region' }).fill('us-east-1');
  await form.getByRole('button', { name: /Join/ }).click();
  await expect(form.getByText('Give the place as s3://BUCKET/PREFIX, e.g. s3://acme-ops/slipway.')).toBeVisible();

  const bucket = `no-such-bucket-${Date.now().toString(36)}`;
  await form.getByRole('textbox', { name: 'Bucket and prefix' }).fill(`s3://${bucket}/slipway`);
  await form.getByRole('button', { name: /Join/ }).click();
  await expect(form.getByText('Could not join')).toBeVisible();
  await expect(form).toContainText(`The team bucket ${bucket} does not exist. Create it or check the name.`);
  const status = await slipway.cli('team', '--json');
  expect(JSON.parse(status.stdout)).not.toHaveProperty('team');
});
