// The window on ECS against the AWS emulator (an AWS API server none of us wrote) holding a team's
// existing services: both environments adopted as they run, an image deployed to staging and promoted,
// production rolled back to the revision registered outside Slipway. What the emulator lacks (task
// health, stopping tasks, the deployment-safety fix) is the stand-in journey's, in aws.spec.ts.
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createEmulatorApp } from '../src/main/providers/aws-ecs/testing/emulator-app.js';
import { emulatorEndpoint, emulatorSdkConfig, useEmulatorServer } from './support/emulator-server.js';

const world = useEmulatorServer();

const column = (page: Page, environment: string): Locator => page.getByTestId(`env-${environment}`);
const ecs = (page: Page, environment: string, fact: string): Locator =>
  page.getByTestId(`env-${environment}-ecs-${fact}`);
/** How the window shows a digest: `sha256:` and its first 12 hex digits. */
const short = (digest: string | undefined): string => (digest ?? '').slice(0, 'sha256:'.length + 12);

async function expectServing(page: Page, environment: string, version: string, taskDefinition: string) {
  await expect(page.getByTestId(`env-${environment}-version`)).toHaveText(version, { timeout: 60_000 });
  await expect(ecs(page, environment, 'task-definition')).toHaveText(taskDefinition, { timeout: 30_000 });
}

test('adopts a team’s services, ships an image to production and rolls back to the external revision', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const server = world.get();
  const app = await createEmulatorApp(emulatorEndpoint);
  const created = await server.cli(...app.createArgs);
  expect(created.code, created.stderr).toBe(0);
  const client = new ECSClient(emulatorSdkConfig);
  /** The image the service's revision runs, read straight from the emulator. */
  const imageOf = async (environment: 'staging' | 'production'): Promise<string | undefined> => {
    const service = await client.send(
      new DescribeServicesCommand({ cluster: app.cluster, services: [`web-${environment}`] }),
    );
    const revision = await client.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: service.services?.[0]?.taskDefinition }),
    );
    return revision.taskDefinition?.containerDefinitions?.[0]?.image;
  };

  try {
    await page.goto(server.routeUrl(`#/pipelines/${app.pipeline}`));
    await test.step('each environment shows what it runs, adopted as an external release', async () => {
      for (const environment of ['staging', 'production'] as const) {
        await expectServing(page, environment, 'v1', `${app.families[environment]}:1`);
        await expect(column(page, environment).getByText('Registered outside Slipway')).toBeVisible();
        await expect(column(page, environment).getByText('external', { exact: true })).toBeVisible();
        await expect(column(page, environment)).toContainText(app.commits['v1.0.0']?.slice(0, 7) ?? '?');
      }
      // Production's revision names a digest; staging's a tag (the emulator runs no tasks whose resolved
      // digest could be shown), which the window calls out.
      await expect(ecs(page, 'production', 'image')).toHaveText(short(app.digests['v1.0.0']));
      await expect(ecs(page, 'staging', 'image')).toHaveText('tag, not pinned');
      await expect(ecs(page, 'staging', 'image')).toHaveAttribute('title', `${app.imageName}:v1.0.0`);
    });

    await test.step('an image deployed to staging and promoted: production runs the same digest', async () => {
      await column(page, 'staging').getByRole('button', { name: 'Deploy', exact: true }).click();
      const deploy = page.getByTestId('deploy-dialog');
      await deploy.getByLabel('Image', { exact: true }).fill(`${app.imageName}:v1.1.0`);
      await deploy.getByRole('button', { name: 'Deploy to staging' }).click();
      await expect(deploy).toBeHidden({ timeout: 30_000 });
      await expectServing(page, 'staging', 'v2', `${app.families.staging}:2`);
      await expect(ecs(page, 'staging', 'image')).toHaveText(short(app.digests['v1.1.0']));

      await page.getByRole('button', { name: 'Promote to production' }).click();
      const promote = page.getByTestId('promote-dialog');
      await promote.getByRole('button', { name: 'Promote v2 to production' }).click();
      await expect(promote).toBeHidden({ timeout: 30_000 });
      await expectServing(page, 'production', 'v2', `${app.families.production}:2`);
      await expect(ecs(page, 'production', 'image')).toHaveText(short(app.digests['v1.1.0']));
      expect(await imageOf('production')).toBe(`${app.imageName}@${app.digests['v1.1.0']}`);
    });

    await test.step('production rolled back to the revision registered outside Slipway', async () => {
      await page.goto(server.routeUrl(`#/pipelines/${app.pipeline}/releases/production`));
      const external = page
        .getByRole('table', { name: 'production releases' })
        .getByRole('row')
        .filter({ hasText: 'Registered outside Slipway' });
      await external.getByRole('button', { name: 'Roll back to this' }).click();
      const dialog = page.getByTestId('rollback-dialog');
      await dialog.getByRole('button', { name: 'Roll back to v1' }).click();
      await expect(dialog).toBeHidden({ timeout: 30_000 });
      await page.goto(server.routeUrl(`#/pipelines/${app.pipeline}`));
      await expectServing(page, 'production', 'v3', `${app.families.production}:3`);
      await expect(ecs(page, 'production', 'image')).toHaveText(short(app.digests['v1.0.0']));
      expect(await imageOf('production')).toBe(`${app.imageName}@${app.digests['v1.0.0']}`);
    });
  } finally {
    client.destroy();
  }
});
