// Wrong requests, through the window and the CLI alike: each is refused with a sentence a person can
// act on, and none of them changes a release.
import { expect, test, type Slipway } from './fixtures.js';
import { PIPELINE, demoCommits, environmentCard, releasesOf } from './support/app.js';

test.describe.configure({ mode: 'serial' });

/** Both environments' release lists, to compare before and after a refused request. */
async function releaseLists(slipway: Slipway) {
  return {
    staging: await releasesOf(slipway.cli, 'staging'),
    production: await releasesOf(slipway.cli, 'production'),
  };
}

test('a config key that is not a valid name is refused in the editor and by the CLI', async ({ page, slipway }) => {
  const before = await releaseLists(slipway);
  expect(before).toEqual({ staging: [], production: [] });

  await slipway.open(page, `#/pipelines/${PIPELINE}/config/staging`);
  await expect(page.getByRole('heading', { level: 1, name: 'staging config' })).toBeVisible();
  await page.getByRole('button', { name: 'Add variable' }).click();
  const key = page.getByRole('textbox', { name: 'Key', exact: true });
  await key.fill('1BAD-KEY');
  await page.getByRole('textbox', { name: 'Value of 1BAD-KEY' }).fill('x');
  await expect(page.getByRole('alert')).toHaveText(
    'A config key uses letters, digits and underscores, and does not start with a digit',
  );
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: /^Review changes/ })).toBeDisabled();

  const cli = await slipway.cli('config:set', PIPELINE, '--env', 'staging', '1BAD-KEY=x');
  expect(cli.code).not.toBe(0);
  expect(cli.stderr).toContain('INVALID_INPUT');
  expect(cli.stderr).toContain('a config key uses letters, digits and underscores');

  expect(await releaseLists(slipway)).toEqual(before);
  const config = await slipway.cli('config', PIPELINE, '--env', 'staging', '--json');
  expect(JSON.parse(config.stdout)).toEqual([]);
});

test('promoting from an environment with no release explains why, in the dialog and the CLI', async ({
  page,
  slipway,
}) => {
  const before = await releaseLists(slipway);
  const why = 'staging has no release yet, so there is nothing to promote. Deploy to staging first.';

  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  await page.getByRole('button', { name: 'Promote to production' }).click();
  const dialog = page.getByTestId('promote-dialog');
  await expect(dialog.getByRole('alert')).toContainText('Cannot preview this promote');
  await expect(dialog.getByRole('alert')).toContainText(why);
  await expect(dialog.getByRole('button', { name: 'Promote to production' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  const cli = await slipway.cli('promote', PIPELINE, '--from', 'staging', '--to', 'production', '--yes');
  expect(cli.code).not.toBe(0);
  expect(cli.stderr).toContain('CONFLICT');
  expect(cli.stderr).toContain(why);

  expect(await releaseLists(slipway)).toEqual(before);
  await expect(page.getByTestId('env-production-version')).toHaveText('—');
});

test('an unknown pipeline is NOT_FOUND in the CLI and a clear not-found page in the window', async ({
  page,
  slipway,
}) => {
  const before = await releaseLists(slipway);

  const cli = await slipway.cli('status', 'nope');
  expect(cli.code).not.toBe(0);
  expect(cli.stderr).toContain('NOT_FOUND');
  expect(cli.stderr).toContain('There is no pipeline named "nope"');
  const deploy = await slipway.cli('deploy', 'nope', '--env', 'staging', '--ref', 'main');
  expect(deploy.code).not.toBe(0);
  expect(deploy.stderr).toContain('NOT_FOUND');

  await slipway.open(page, '#/pipelines/nope');
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toContainText('Could not load nope');
  await expect(alert).toContainText('There is no pipeline named "nope"');
  await expect(page.getByTestId('env-staging')).toHaveCount(0);
  // The way back is one click.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^demo/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: PIPELINE })).toBeVisible();

  expect(await releaseLists(slipway)).toEqual(before);
});

test('rolling back across a no-rollback release needs a typed reason', async ({ page, slipway }) => {
  const [newest, older] = await demoCommits(slipway.home);
  if (!newest || !older) throw new Error('the demo repo has too few commits');
  expect((await slipway.cli('deploy', PIPELINE, '--env', 'staging', '--ref', older.sha)).code).toBe(0);
  const migration = 'drops the legacy greetings table';
  const marked = await slipway.cli(
    'deploy',
    PIPELINE,
    '--env',
    'staging',
    '--ref',
    newest.sha,
    '--no-rollback',
    migration,
  );
  expect(marked.code, marked.stderr).toBe(0);
  const before = await releaseLists(slipway);
  expect(before.staging.map((r) => r.version)).toEqual([2, 1]);

  await test.step('the window asks for a reason and does nothing without one', async () => {
    await slipway.open(page, `#/pipelines/${PIPELINE}`);
    await expect(page.getByTestId('env-staging-version')).toHaveText('v2');
    await environmentCard(page, 'staging').getByRole('button', { name: 'Rollback' }).click();
    const dialog = page.getByTestId('rollback-dialog');
    await expect(dialog.getByRole('heading', { name: 'Roll back staging to v1' })).toBeVisible();
    const blocked = dialog.getByTestId('rollback-blocked');
    await expect(blocked).toContainText('v2 is marked no-rollback');
    await expect(blocked).toContainText(migration);
    const reason = dialog.getByRole('textbox', { name: 'Override reason' });
    await expect(reason).toBeFocused();

    const override = dialog.getByRole('button', { name: 'Override and roll back to v1' });
    await override.click();
    await expect(dialog).toContainText('Give a reason of at least 3 characters.');
    await expect(reason).toHaveAttribute('aria-invalid', 'true');
    await reason.fill('no');
    await override.click();
    await expect(dialog).toBeVisible();
    expect(await releaseLists(slipway)).toEqual(before);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v2');
  });

  await test.step('the CLI refuses with NO_ROLLBACK, then rolls back with --override-reason', async () => {
    const refused = await slipway.cli('rollback', PIPELINE, '--env', 'staging');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('NO_ROLLBACK');
    expect(await releaseLists(slipway)).toEqual(before);

    const why = 'restored the greetings table by hand';
    const done = await slipway.cli('rollback', PIPELINE, '--env', 'staging', '--override-reason', why);
    expect(done.code, done.stderr).toBe(0);
    const after = await releasesOf(slipway.cli, 'staging');
    expect(after[0]).toMatchObject({ version: 3, kind: 'rollback', sha: older.sha, current: true });
    expect(after.slice(1)).toEqual(before.staging.map((r) => ({ ...r, current: false })));

    await page.reload();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v3');
    await slipway.open(page, '#/activity');
    const rollback = page.locator('[data-testid="activity-item"][data-action="rollback"]');
    await expect(rollback).toContainText(`Overrode a no-rollback mark: “${why}”`);
    await expect(rollback).toContainText(slipway.actor);
  });
});
