// The observability offers on an ECS environment, in the window against the AWS emulator: the Metrics
// view offers per-instance metrics with their cost (Container Insights is off there), and alarms made
// in the view can be set to guard every rollout.
import { DeleteAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { expect, test } from '@playwright/test';
import { createEmulatorApp, REGION } from '../src/main/providers/aws-ecs/testing/emulator-app.js';
import { startServer, type SlipwayServer } from './support/server.js';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';
const aws = { region: REGION, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
let server: SlipwayServer | undefined;
const AWS_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
const before = Object.fromEntries(AWS_KEYS.map((key) => [key, process.env[key]]));
const alarms: string[] = [];

test.beforeAll(async () => {
  const reachable = await fetch(endpoint).then(
    () => true,
    () => false,
  );
  test.skip(!reachable, `needs the AWS emulator at ${endpoint} (../shared/aws-emulator/start)`);
  // The server and the CLI take their AWS settings from the environment; put back after, for other specs.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
  });
  server = await startServer();
});

test.afterAll(async () => {
  if (alarms.length > 0) await new CloudWatchClient(aws).send(new DeleteAlarmsCommand({ AlarmNames: alarms }));
  await server?.stop();
  for (const key of AWS_KEYS) {
    if (before[key] === undefined) delete process.env[key];
    else process.env[key] = before[key];
  }
});

test('the Metrics view offers Container Insights with its cost, and alarms guard the rollouts', async ({ page }) => {
  test.setTimeout(120_000);
  if (!server) throw new Error('no server');
  const app = await createEmulatorApp(endpoint);
  const created = await server.cli(...app.createArgs);
  expect(created.code, created.stderr).toBe(0);
  await page.goto(server.routeUrl(`#/pipelines/${app.pipeline}/metrics/staging`));

  await page.getByRole('button', { name: 'Turn on per-instance metrics (Container Insights)…' }).click();
  const offer = page.getByTestId('detailed-offer-dialog');
  await expect(offer.getByRole('heading', { name: 'Turn on Container Insights for staging?' })).toBeVisible();
  await expect(offer.getByTestId('detailed-offer-cost')).toContainText('CloudWatch bills Container Insights');
  await offer.getByRole('button', { name: 'Cancel' }).click();
  await expect(offer).toBeHidden();

  const panel = page.getByTestId('alarms-panel');
  await panel.getByLabel('Threshold').fill('85');
  await panel.getByRole('button', { name: 'Add alarm' }).click();
  const name = `${app.pipeline}-staging-memory-85`;
  alarms.push(name);
  await expect(panel.getByTestId('alarm').filter({ hasText: name })).toBeVisible({ timeout: 30_000 });
  await panel.getByLabel(`Guard deploys with ${name}`).check();
  await panel.getByRole('button', { name: 'Guard deploys with this alarm…' }).click();
  const guard = page.getByTestId('guard-deploys-dialog');
  await expect(guard).toContainText(name);
  await guard.getByRole('button', { name: 'Guard deploys' }).click();
  await expect(panel.getByTestId('guard-deploys-result')).toHaveText(
    `Rollouts of staging are watched by ${name} and roll back when one fires.`,
  );
  const described = await new ECSClient(aws).send(
    new DescribeServicesCommand({ cluster: app.cluster, services: ['web-staging'] }),
  );
  expect(described.services?.[0]?.deploymentConfiguration?.alarms).toEqual({
    alarmNames: [name],
    enable: true,
    rollback: true,
  });
});
