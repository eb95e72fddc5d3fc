// An ECS pipeline from a person's seat, against the AWS stand-in: create it through the service picker,
// read each environment's ECS details, deploy, promote the same image to production, roll back, stop a task.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REGION, startAwsWorld, type AwsWorld } from './aws-support.js';

test.describe.configure({ mode: 'serial' });

let world: AwsWorld;

test.beforeAll(async () => {
  world = await startAwsWorld();
});

test.afterAll(async () => {
  await world?.stop();
});

const column = (page: Page, environment: string): Locator => page.getByTestId(`env-${environment}`);
const ecs = (page: Page, environment: string, fact: string): Locator =>
  page.getByTestId(`env-${environment}-ecs-${fact}`);

/** Waits for the environment's release to become `version` with ECS serving `taskDefinition`. */
async function expectServing(page: Page, environment: string, version: string, taskDefinition: string) {
  await expect(page.getByTestId(`env-${environment}-version`)).toHaveText(version, { timeout: 60_000 });
  await expect(ecs(page, environment, 'task-definition')).toHaveText(taskDefinition, { timeout: 30_000 });
  const primary = column(page, environment).getByTestId('ecs-deployment').and(page.locator('[data-status="PRIMARY"]'));
  await expect(primary).toHaveAttribute('data-rollout', 'COMPLETED', { timeout: 30_000 });
  await expect(ecs(page, environment, 'running')).toHaveText('2');
  await expect(ecs(page, environment, 'pending')).toHaveText('0');
}

async function deploy(page: Page, image: string) {
  await column(page, 'staging').getByRole('button', { name: 'Deploy' }).click();
  const dialog = page.getByTestId('deploy-dialog');
  await dialog.getByLabel('Image', { exact: true }).fill(image);
  await dialog.getByRole('button', { name: 'Deploy to staging' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

async function promote(page: Page, version: string) {
  await page.getByRole('button', { name: 'Promote to production' }).click();
  const dialog = page.getByTestId('promote-dialog');
  await dialog.getByRole('button', { name: `Promote ${version} to production` }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

test('create an ECS pipeline, promote staging to production and roll back', async ({ page }) => {
  test.setTimeout(240_000);
  let account = '';

  await test.step('create the pipeline through the service picker', async () => {
    await page.goto(world.routeUrl('#/pipelines/new'));
    await expect(page.getByRole('heading', { name: 'New pipeline' })).toBeVisible();
    const pipelineSection = page.getByRole('region', { name: 'Pipeline', exact: true });

    // Nothing filled in: the form says what is missing and takes the person to the first field.
    await page.getByRole('button', { name: 'Create pipeline' }).click();
    await expect(pipelineSection.getByText('Give the pipeline a name.')).toBeVisible();
    await expect(pipelineSection.getByLabel('Name')).toBeFocused();

    await pipelineSection.getByLabel('Name').fill('shop');
    await expect(pipelineSection.getByRole('radio', { name: /Local/ })).toBeDisabled();
    await page.getByLabel('Region', { exact: true }).selectOption(REGION);

    // A profile this computer does not have: the server's sentence says what to do.
    const profile = page.getByLabel('Profile (optional)');
    await profile.fill('team-sso');
    await page.getByRole('button', { name: 'Check credentials' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Slipway could not use these credentials' })).toContainText(
      'aws configure --profile team-sso',
    );
    await expect(page.getByRole('group', { name: 'Environment 1' }).getByLabel('ECS service')).toBeDisabled();

    await profile.fill('');
    await expect(page.getByText('Check credentials again for the profile and region above.')).toBeVisible();
    await page.getByRole('button', { name: 'Check credentials' }).click();
    const identity = page.getByTestId('aws-identity');
    await expect(identity).toContainText(/Acting as arn:aws:iam::\d{12}:\S+ in account \d{12}/);
    account = (await page.getByTestId('aws-account').textContent()) ?? '';
    expect(account).toMatch(/^\d{12}$/);

    for (const [index, environment] of ['staging', 'production'].entries()) {
      const group = page.getByRole('group', { name: `Environment ${index + 1}` });
      await expect(group.getByLabel('Name')).toHaveValue(environment);
      const picker = group.getByLabel('ECS service');
      await expect(picker.locator('option', { hasText: 'shop-web — 2/2 running' })).toHaveCount(2);
      await picker.selectOption(`${environment}/shop-web`);
      await expect(group.getByTestId('service-summary')).toContainText(`2/2 running · shop-web-${environment}:1`);
    }

    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.getByTestId('new-pipeline-page').screenshot({ path: test.info().outputPath('new-pipeline.png') });
    await page.getByRole('button', { name: 'Create pipeline' }).click();
    await expect(page).toHaveURL(/#\/pipelines\/shop$/);
    await expect(page.getByRole('heading', { name: 'shop', exact: true })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /shop/ })).toBeVisible();
  });

  await test.step('both columns show what ECS runs', async () => {
    for (const environment of ['staging', 'production']) {
      await expect(ecs(page, environment, 'desired')).toHaveText('2');
      await expect(ecs(page, environment, 'running')).toHaveText('2');
      await expect(ecs(page, environment, 'task-definition')).toHaveText(`shop-web-${environment}:1`);
      await expect(page.getByTestId(`env-${environment}-url`)).toHaveText(
        new RegExp(`^shop-${environment}-\\d+\\.${REGION}\\.elb\\.amazonaws\\.com\\s*$`),
      );
      await expect(column(page, environment).getByTestId('ecs-deployment')).toHaveAttribute(
        'data-rollout',
        'COMPLETED',
      );
      await expect(column(page, environment).getByTestId('ecs-task')).toHaveCount(2);
      // Adopted as it is: the revision ECS runs is the release, numbered by its revision.
      await expect(column(page, environment).getByText('Registered outside Slipway')).toBeVisible();
      await expect(page.getByTestId(`env-${environment}-version`)).toHaveText('v1');
      await expect(column(page, environment).getByText('external', { exact: true })).toBeVisible();
    }
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('pipeline-page').screenshot({ path: test.info().outputPath('aws-ecs-columns-first.png') });
    await page.getByTestId('theme-toggle').click();
  });

  await test.step('production warns that its circuit breaker is off, and the offered fix clears it', async () => {
    const production = column(page, 'production');
    const warning = production.getByText(/The deployment circuit breaker is off/);
    await expect(warning).toBeVisible();
    await expect(page.getByTestId('env-staging-deploy-safety')).toHaveCount(0);
    await expect(column(page, 'staging').getByText(/circuit breaker/)).toHaveCount(0);

    await expect(page.getByTestId('env-production-deploy-safety')).toContainText(
      'Slipway can turn on the circuit breaker with rollback for you.',
    );
    await production.getByRole('button', { name: 'Make deploys safe' }).click();
    const dialog = page.getByTestId('deploy-safety-dialog');
    await expect(dialog.getByRole('heading', { name: 'Make deploys to production safe?' })).toBeVisible();
    await expect(dialog).toContainText('ECS service shop-web in cluster production');
    await expect(dialog.getByRole('row', { name: /Circuit breaker/ }).getByRole('cell')).toHaveText([
      'off',
      'on, rolls back',
    ]);
    await expect(dialog.getByRole('row', { name: /Minimum healthy/ }).getByRole('cell')).toHaveText(['100%', '100%']);
    await dialog.screenshot({ path: test.info().outputPath('deploy-safety-dialog.png') });
    await dialog.getByRole('button', { name: 'Make deploys safe' }).click();
    await expect(dialog).toBeHidden();
    await expect(warning).toHaveCount(0);
    await expect(page.getByTestId('env-production-deploy-safety')).toHaveCount(0);
    // Only the settings changed: the service runs the same revision, with every task still up.
    await expect(ecs(page, 'production', 'task-definition')).toHaveText('shop-web-production:1');
    await expect(ecs(page, 'production', 'running')).toHaveText('2');
  });

  const image = (tag: string) => `${account}.dkr.ecr.${REGION}.amazonaws.com/shop:${tag}`;
  let firstDigest = '';

  await test.step('deploy an image to staging and promote it: production runs the same digest', async () => {
    await deploy(page, image('v1.3.0'));
    await expectServing(page, 'staging', 'v2', 'shop-web-staging:2');
    firstDigest = (await ecs(page, 'staging', 'image').textContent()) ?? '';
    expect(firstDigest).toMatch(/^sha256:[0-9a-f]{12}$/);

    await promote(page, 'v2');
    await expectServing(page, 'production', 'v2', 'shop-web-production:2');
    await expect(ecs(page, 'production', 'image')).toHaveText(firstDigest);
  });

  await test.step('a newer image reaches production as a new task definition revision', async () => {
    // A bare tag is looked up in the repository the service runs.
    await deploy(page, 'v1.4.0');
    await expectServing(page, 'staging', 'v3', 'shop-web-staging:3');
    const nextDigest = (await ecs(page, 'staging', 'image').textContent()) ?? '';
    expect(nextDigest).not.toBe(firstDigest);

    await promote(page, 'v3');
    await expectServing(page, 'production', 'v3', 'shop-web-production:3');
    await expect(ecs(page, 'production', 'image')).toHaveText(nextDigest);
    await expect(column(page, 'production').getByText('Registered outside Slipway')).toHaveCount(0);

    await page.setViewportSize({ width: 1440, height: 1500 });
    await page.getByTestId('pipeline-page').screenshot({ path: test.info().outputPath('aws-ecs-columns.png') });
  });

  await test.step('roll production back to the first image', async () => {
    await column(page, 'production').getByRole('button', { name: 'Rollback' }).click();
    const dialog = page.getByTestId('rollback-dialog');
    await dialog.getByRole('button', { name: 'Roll back to v2' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expectServing(page, 'production', 'v4', 'shop-web-production:4');
    await expect(ecs(page, 'production', 'image')).toHaveText(firstDigest);
  });

  await test.step('stop one production task with a reason', async () => {
    const tasks = column(page, 'production').getByTestId('ecs-task');
    await expect(tasks).toHaveCount(2);
    const stop = tasks.first().getByRole('button', { name: /^Stop task / });
    const label = (await stop.getAttribute('aria-label')) ?? '';
    const shortId = label.replace('Stop task ', '');
    await stop.click();
    const dialog = page.getByTestId('stop-task-dialog');
    await expect(dialog.getByRole('heading', { name: `Stop task ${shortId}?` })).toBeVisible();
    await dialog.getByLabel('Reason (optional)').fill('stuck connection pool');
    await dialog.getByRole('button', { name: 'Stop task' }).click();
    await expect(dialog).toBeHidden();
    await expect(column(page, 'production').getByRole('button', { name: label })).toHaveCount(0);
  });
});
