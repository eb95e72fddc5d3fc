// The observability offers on an ECS environment, in the window against the AWS emulator: the Metrics
// view offers per-instance metrics with their cost (Container Insights is off there), and alarms made
// in the view can be set to guard every rollout.
import { DeleteAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { expect, test } from '@playwright/test';
import { createEmulatorApp } from '../src/main/providers/aws-ecs/testing/emulator-app.js';
import { emulatorEndpoint, emulatorSdkConfig, useEmulatorServer } from './support/emulator-server.js';

const world = useEmulatorServer();
const alarms: string[] = [];

test.afterAll(async () => {
  if (alarms.length > 0)
    await new CloudWatchClient(emulatorSdkConfig).send(new DeleteAlarmsCommand({ AlarmNames: alarms }));
});

test('the Metrics view offers Container Insights with its cost, and alarms guard the rollouts', async ({ page }) => {
  test.setTimeout(120_000);
  const server = world.get();
  const app = await createEmulatorApp(emulatorEndpoint);
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
  const described = await new ECSClient(emulatorSdkConfig).send(
    new DescribeServicesCommand({ cluster: app.cluster, services: ['web-staging'] }),
  );
  expect(described.services?.[0]?.deploymentConfiguration?.alarms).toEqual({
    alarmNames: [name],
    enable: true,
    rollback: true,
  });
});
