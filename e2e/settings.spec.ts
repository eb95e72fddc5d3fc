// A local environment's settings from the window: a third instance and SIGQUIT for staging, saved in
// the workspace and used by the next deploy, with nothing running disturbed until then.
import { expect, test } from './fixtures.js';
import { PIPELINE, environmentCard } from './support/app.js';

test.describe.configure({ mode: 'serial' });

interface SavedEnvironment {
  readonly target: { instances: number; stopSignal: string; graceMs: number };
}

async function savedSettings(cli: (...args: string[]) => Promise<{ code: number; stdout: string }>, env: string) {
  const result = await cli('env', PIPELINE, '--env', env, '--json');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as SavedEnvironment).target;
}

test('Escape closes the settings dialog, and a value out of range cannot be saved', async ({ page, slipway }) => {
  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  const staging = environmentCard(page, 'staging');
  await staging.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings of staging' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Applies from the next deploy');
  await dialog.screenshot({ path: test.info().outputPath('settings-dialog.png') });

  const instances = dialog.getByRole('spinbutton', { name: 'Instances' });
  await expect(instances).toHaveValue('2');
  await expect(instances).toBeFocused();
  await instances.fill('17');
  await expect(dialog.getByText('The instance count is a whole number from 1 to 16.')).toBeVisible();
  await expect(instances).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByRole('button', { name: 'Save settings' })).toBeDisabled();

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await savedSettings(slipway.cli, 'staging')).toMatchObject({ instances: 2, stopSignal: 'SIGTERM' });
});

test('3 instances and SIGQUIT on staging: saved, then the next deploy runs 3 healthy instances', async ({
  page,
  slipway,
}) => {
  // Something already serving, so the deploy after the change has old instances to stop.
  const first = await slipway.cli('deploy', PIPELINE, '--env', 'staging', '--ref', 'HEAD~1');
  expect(first.code, first.stderr).toBe(0);

  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  const staging = environmentCard(page, 'staging');
  await expect(page.getByTestId('env-staging-health')).toContainText('2 of 2 healthy');
  // Production is local too; it has its own Settings.
  await expect(environmentCard(page, 'production').getByRole('button', { name: 'Settings' })).toBeVisible();

  await test.step('open Settings on staging, set 3 instances and SIGQUIT, save with Enter', async () => {
    await staging.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings of staging' });
    await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveValue('/healthz');
    await expect(dialog.getByRole('combobox', { name: 'Stop signal' })).toHaveValue('SIGTERM');
    await dialog.getByRole('combobox', { name: 'Stop signal' }).selectOption('SIGQUIT');
    const instances = dialog.getByRole('spinbutton', { name: 'Instances' });
    await instances.fill('3');
    await instances.press('Enter');
    await expect(dialog).toBeHidden();
  });

  await test.step('saved for staging only; what runs now is untouched', async () => {
    expect(await savedSettings(slipway.cli, 'staging')).toMatchObject({ instances: 3, stopSignal: 'SIGQUIT' });
    expect(await savedSettings(slipway.cli, 'production')).toMatchObject({ instances: 2, stopSignal: 'SIGTERM' });
    await expect(page.getByTestId('env-staging-health')).toContainText('2 of 2 healthy');
  });

  await test.step('reopening shows the saved values', async () => {
    await staging.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings of staging' });
    await expect(dialog.getByRole('spinbutton', { name: 'Instances' })).toHaveValue('3');
    await expect(dialog.getByRole('combobox', { name: 'Stop signal' })).toHaveValue('SIGQUIT');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('deploy: 3 healthy instances, and the old ones were stopped with SIGQUIT', async () => {
    await staging.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy to staging' });
    await dialog.getByRole('textbox', { name: 'Or type a git ref' }).fill('HEAD');
    await dialog.getByRole('textbox', { name: 'Or type a git ref' }).press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v2');
    await expect(page.getByTestId('env-staging-progress')).toBeHidden();
    await expect(page.getByTestId('env-staging-health')).toContainText('3 of 3 healthy');
    await expect(
      page.getByRole('list', { name: 'Instances of staging', exact: true }).getByRole('listitem'),
    ).toHaveCount(3);

    const deployments = await slipway.cli('deployments', PIPELINE, '--env', 'staging', '--json');
    const [latest] = JSON.parse(deployments.stdout) as { steps: { name: string; output?: string[] }[] }[];
    const drain = latest?.steps.find((s) => s.name === 'Drain old instances');
    expect(drain?.output?.filter((line) => line.endsWith('stopped after SIGQUIT'))).toHaveLength(2);
  });

  await test.step('the activity feed says what changed', async () => {
    await page.getByRole('link', { name: 'Activity' }).first().click();
    const item = page.locator('[data-action="environment.configure"]');
    await expect(item).toContainText('changed settings');
    await expect(item).toContainText('instances 2 → 3, stop signal SIGTERM → SIGQUIT');
  });
});
