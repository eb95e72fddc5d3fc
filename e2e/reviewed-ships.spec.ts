// What was reviewed is what ships: a teammate's change lands (from a terminal) between opening a
// dialog and confirming it. The promote and the config save are refused with both versions named,
// nothing is overwritten, and the dialog offers to look again.
import { expect, test } from './fixtures.js';
import { demoCommits, environmentCard, type DemoCommit } from './support/app.js';

test.describe.configure({ mode: 'serial' });

const short = (sha: string): string => sha.slice(0, 7);

test('a promote refused because staging moved after the review, reviewed again and shipped', async ({
  page,
  slipway,
}) => {
  test.setTimeout(120_000);
  const [newest, older] = (await demoCommits(slipway.home)) as [DemoCommit, DemoCommit];
  expect((await slipway.cli('deploy', 'demo', '--env', 'staging', '--ref', older.sha)).code).toBe(0);

  await slipway.open(page);
  await expect(page.getByTestId('env-staging-version')).toHaveText('v1');
  await page.getByRole('button', { name: 'Promote to production' }).click();
  const dialog = page.getByTestId('promote-dialog');
  const confirmV1 = dialog.getByRole('button', { name: 'Promote v1 to production' });
  await expect(confirmV1).toBeEnabled();

  // A teammate deploys the newest commit to staging while the dialog is open.
  expect((await slipway.cli('deploy', 'demo', '--env', 'staging', '--ref', newest.sha)).code).toBe(0);

  await confirmV1.click();
  await expect(dialog.getByTestId('inline-error')).toContainText(
    'the promote showed staging v1, and staging runs v2 now. Nothing was promoted; review the promote again.',
  );
  await expect(dialog.getByRole('button', { name: /^Promote v\d to production$/ })).toBeDisabled();
  await expect(page.getByTestId('env-production-version')).toHaveText('—');

  await dialog.getByRole('button', { name: 'Review again' }).click();
  await expect(dialog.getByTestId('inline-error')).toBeHidden();
  await expect(dialog.locator('.promote-side').first()).toContainText(short(newest.sha));
  await dialog.getByRole('button', { name: 'Promote v2 to production' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('env-production-version')).toHaveText('v1', { timeout: 60_000 });
  await expect(page.getByTestId('env-production-sha')).toHaveText(short(newest.sha));
});

test("a config save refused because a teammate changed the same key, the teammate's value kept", async ({
  page,
  slipway,
}) => {
  test.setTimeout(120_000);
  expect((await slipway.cli('config:set', 'demo', '--env', 'staging', 'LOG_LEVEL=info')).code).toBe(0);

  await slipway.open(page, '#/pipelines/demo');
  await environmentCard(page, 'staging').getByRole('button', { name: 'Config' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'staging config' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Value of LOG_LEVEL' }).fill('debug');
  await page.getByRole('button', { name: 'Review changes (1)' }).click();
  const review = page.getByRole('dialog', { name: 'Review config changes for staging' });
  await expect(review.getByRole('list', { name: 'Changes' })).toContainText('LOG_LEVEL');

  // A teammate sets the same key from a terminal before this is applied.
  expect((await slipway.cli('config:set', 'demo', '--env', 'staging', 'LOG_LEVEL=warn')).code).toBe(0);

  await review.getByRole('button', { name: 'Apply and deploy' }).click();
  await expect(review.getByTestId('inline-error')).toContainText(
    'LOG_LEVEL changed on staging since its config was read at v3 (it runs v4 now)',
  );
  await review.getByRole('button', { name: 'Discard my edits and reload the config' }).click();
  await expect(review).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'Value of LOG_LEVEL' })).toHaveValue('warn');

  const config = await slipway.cli('config', 'demo', '--env', 'staging', '--json');
  expect(JSON.parse(config.stdout)).toEqual([expect.objectContaining({ key: 'LOG_LEVEL', value: 'warn' })]);
});
