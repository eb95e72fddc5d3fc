// A rollout that goes wrong, stopped by hand: the person sets a config that makes the new instances fail
// their health check, aborts the deploy from the pipeline page while it checks, reads who aborted it and
// where it stopped, and staging goes on serving the release it served before.
import { expect, test } from './fixtures.js';
import { PIPELINE, environmentCard, environmentUrl } from './support/app.js';
import { healthOf } from './support/load.js';

test.use({ viewport: { width: 1360, height: 860 } });

test('abort a deploy stuck in its health check; the old release keeps serving', async ({ page, slipway }) => {
  test.setTimeout(120_000);
  const staging = environmentCard(page, 'staging');
  const outcome = page.getByTestId('env-staging-outcome');
  await slipway.open(page, `#/pipelines/${PIPELINE}`);

  await test.step('deploy staging: the result stays in the column until dismissed', async () => {
    await staging.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy to staging' });
    await dialog.getByRole('button', { name: 'Deploy to staging' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v1');
    await expect(page.getByTestId('env-staging-progress')).toBeHidden();
    await expect(outcome).toHaveAttribute('data-status', 'succeeded');
    await expect(outcome).toContainText('v1 is live');
    await outcome.getByRole('button', { name: 'Dismiss' }).click();
    await expect(outcome).toBeHidden();
  });
  const stagingUrl = await environmentUrl(page, 'staging');
  const served = await healthOf(stagingUrl);
  expect(served).toMatchObject({ ok: true, release: '1' });

  await test.step('set FAIL_HEALTHCHECK=1 on staging', async () => {
    await staging.getByRole('button', { name: 'Config' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'staging config' })).toBeVisible();
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('textbox', { name: 'Key', exact: true }).fill('FAIL_HEALTHCHECK');
    await page.getByRole('textbox', { name: 'Value of FAIL_HEALTHCHECK' }).fill('1');
    await page.getByRole('button', { name: 'Review changes (1)' }).click();
    const review = page.getByRole('dialog', { name: 'Review config changes for staging' });
    await review.getByRole('button', { name: 'Apply and deploy' }).click();
    await expect(review).toBeHidden();
    await page.getByRole('link', { name: 'watch it on the pipeline page' }).click();
  });

  await test.step('abort it while the health check runs, after confirming', async () => {
    const progress = page.getByTestId('env-staging-progress');
    // The demo app fails its health check for about ten seconds with this config: time enough to act.
    await expect(progress.locator('.step[data-status="running"] .step-name')).toContainText('Health check');
    await progress.getByRole('button', { name: 'Abort deploy' }).click();
    const confirm = page.getByRole('dialog', { name: 'Abort deploy?' });
    await expect(confirm).toContainText('Abort the deploy of v2 to staging? v1 keeps serving.');
    await confirm.getByRole('button', { name: 'Abort deploy' }).click();
    await expect(confirm).toBeHidden();
  });

  await test.step('see who aborted it and where it stopped; staging still serves v1', async () => {
    await expect(page.getByTestId('env-staging-progress')).toBeHidden();
    await expect(outcome).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('env-staging-outcome-message')).toHaveText(
      `Aborted by ${slipway.actor}; v2 was not rolled out and v1 keeps serving.`,
    );
    await expect(page.getByTestId('env-staging-outcome-step')).toHaveText('Health check');
    await expect(page.getByTestId('env-staging-version')).toHaveText('v1');
    expect(await healthOf(stagingUrl)).toMatchObject({ ok: true, commit: served.commit, release: '1' });

    // A failure stays until the person has read it: a reload does not make it go away.
    await page.reload();
    await expect(outcome).toHaveAttribute('data-status', 'failed');
    await outcome.getByRole('button', { name: 'Dismiss' }).click();
    await expect(outcome).toBeHidden();
    await page.reload();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v1');
    await expect(outcome).toBeHidden();
  });
});
