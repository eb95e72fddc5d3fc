// What a newcomer does on the first day: deploy staging, promote to production, deploy again and
// promote again, roll production back, change staging's config, then read it all in the activity feed.
// Production keeps answering every request through each promote and rollback.
import type { Page } from '@playwright/test';
import { repoRoot } from './support/server.js';
import { expect, test } from './fixtures.js';
import {
  demoCommits,
  environmentCard,
  environmentUrl,
  recordProgress,
  stepsSeen,
  type DemoCommit,
} from './support/app.js';
import { healthOf, startLoad, type Load } from './support/load.js';

test.use({ viewport: { width: 1360, height: 860 }, colorScheme: 'light' });

const short = (sha: string): string => sha.slice(0, 7);

/** Waits until `environment` shows `version`, all instances healthy and no deploy in progress. */
async function expectSettled(page: Page, environment: string, version: string): Promise<void> {
  await expect(page.getByTestId(`env-${environment}-version`)).toHaveText(version);
  await expect(page.getByTestId(`env-${environment}-progress`)).toBeHidden();
  await expect(page.getByTestId(`env-${environment}-health`)).toContainText('2 of 2 healthy');
}

/** Every request of `load` succeeded, and production switched from `before` to `after` while it ran. */
async function expectNoDowntime(load: Load, before: DemoCommit, after: DemoCommit): Promise<void> {
  await expect.poll(() => load.hasServed(after.sha), { message: `production serves ${short(after.sha)}` }).toBe(true);
  const report = await load.stop();
  test.info().annotations.push({
    type: 'load',
    description: `${report.total} requests while ${short(before.sha)} → ${short(after.sha)}, ${report.failures.length} failed`,
  });
  expect(report.failures, `${report.failures.length} of ${report.total} requests failed`).toEqual([]);
  expect(report.commits).toEqual([before.sha, after.sha]);
  // A handful of requests would prove nothing about the swap.
  expect(report.total).toBeGreaterThan(50);
}

test('deploy, promote, roll back and configure the demo pipeline', async ({ page, slipway }) => {
  test.setTimeout(180_000);
  const commits = await demoCommits(slipway.home);
  expect(commits).toHaveLength(4);
  const [newest, older] = commits as [DemoCommit, DemoCommit, DemoCommit, DemoCommit];
  await recordProgress(page);
  const staging = environmentCard(page, 'staging');
  const production = environmentCard(page, 'production');

  await test.step('open the app: the demo pipeline with staging and production, nothing deployed', async () => {
    await slipway.open(page);
    await expect(page).toHaveURL(/#\/pipelines\/demo$/);
    await expect(page.getByRole('heading', { level: 1, name: 'demo' })).toBeVisible();
    await expect(page.getByText('staging → production')).toBeVisible();
    await expect(staging.getByRole('heading', { name: 'staging' })).toBeVisible();
    await expect(production.getByRole('heading', { name: 'production' })).toBeVisible();
    await expect(page.getByTestId('env-staging-version')).toHaveText('—');
    await expect(page.getByTestId('env-production-version')).toHaveText('—');
    await expect(staging).toContainText('No releases yet — deploy a commit to start.');
    await expect(page.getByTestId('acting-as')).toContainText(slipway.actor);
  });

  let stagingUrl = '';
  await test.step('deploy an older commit to staging and watch the steps go by', async () => {
    await staging.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy to staging' });
    await expect(dialog).toBeVisible();
    const radios = dialog.getByRole('radio');
    await expect(radios).toHaveCount(4);
    await expect(radios.first()).toBeChecked();
    await dialog.getByRole('radio', { name: older.subject }).check();
    await dialog.getByRole('button', { name: 'Deploy to staging' }).click();
    await expect(dialog).toBeHidden();

    await expectSettled(page, 'staging', 'v1');
    await expect(page.getByTestId('env-staging-sha')).toHaveText(short(older.sha));
    const steps = await stepsSeen(page, 'staging');
    const names = [...new Set(steps.map((s) => s.name))];
    // A local deploy is quick and the window may draw several updates at once, so the steps that last
    // longest are the ones every run is sure to show.
    const expected = ['Build', 'Release phase', 'Health check'];
    expect(names).toEqual(expect.arrayContaining(expected));
    const positions = expected.map((name) => names.indexOf(name));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const name of ['Build', 'Release phase']) {
      expect(steps, `${name} finished`).toContainEqual({ name, status: 'succeeded' });
    }

    stagingUrl = await environmentUrl(page, 'staging');
    expect(await healthOf(stagingUrl)).toMatchObject({ ok: true, commit: older.sha, release: '1' });
  });

  let productionUrl = '';
  await test.step('promote staging to production: see what ships, then ship it', async () => {
    await page.getByRole('button', { name: 'Promote to production' }).click();
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog.getByRole('heading', { name: 'Promote staging → production' })).toBeVisible();
    // Production has nothing yet: everything up to staging's commit ships.
    const listed = dialog.getByTestId('promote-commits').getByRole('listitem');
    await expect(listed).toHaveCount(3);
    await expect(listed.first()).toContainText(older.subject);
    await expect(listed.first()).toContainText(short(older.sha));
    await expect(listed).not.toContainText([newest.subject]);
    const diff = dialog.getByTestId('promote-diff');
    // Every file is new to production; long diffs start folded, a click opens one.
    const theme = diff.locator('details').filter({ has: page.getByText('theme.json', { exact: true }) });
    await expect(theme).toContainText('+3 −0');
    await theme.getByText('theme.json', { exact: true }).click();
    await expect(theme.getByText('"accent": "#0f766e"')).toBeVisible();

    await dialog.getByRole('button', { name: 'Promote v1 to production' }).click();
    await expect(dialog).toBeHidden();
    await expectSettled(page, 'production', 'v1');
    await expect(page.getByTestId('env-production-sha')).toHaveText(short(older.sha));
    productionUrl = await environmentUrl(page, 'production');
    // Same build as staging, now answering on production's own address.
    expect(productionUrl).not.toBe(stagingUrl);
    expect(await healthOf(productionUrl)).toMatchObject({ ok: true, commit: older.sha, release: '1' });
  });

  await test.step('deploy the newest commit to staging', async () => {
    await staging.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy to staging' });
    await dialog.getByRole('radio', { name: newest.subject }).check();
    await dialog.getByRole('button', { name: 'Deploy to staging' }).click();
    await expect(dialog).toBeHidden();
    await expectSettled(page, 'staging', 'v2');
    await expect(page.getByTestId('env-staging-sha')).toHaveText(short(newest.sha));
    expect(await healthOf(stagingUrl)).toMatchObject({ commit: newest.sha, release: '2' });
    // Production did not move.
    await expect(page.getByTestId('env-production-version')).toHaveText('v1');
  });

  if (process.env.SLIPWAY_SCREENSHOT === '1') {
    await test.step('README screenshot', async () => {
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${repoRoot}/docs/screenshot.png` });
    });
  }

  await test.step('promote again with traffic on production: one commit, its diff, no failed request', async () => {
    await page.getByRole('button', { name: 'Promote to production' }).click();
    const dialog = page.getByTestId('promote-dialog');
    const listed = dialog.getByTestId('promote-commits').getByRole('listitem');
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText(newest.subject);
    const diff = dialog.getByTestId('promote-diff');
    await expect(diff.getByText('package.json', { exact: true })).toBeVisible();
    await expect(diff).toContainText('+1 −1');
    await expect(diff).toContainText('"version": "1.0.0"');
    await expect(diff).toContainText('"version": "1.1.0"');

    const load = startLoad(productionUrl);
    try {
      await expect.poll(() => load.hasServed(older.sha)).toBe(true);
      await dialog.getByRole('button', { name: 'Promote v2 to production' }).click();
      await expect(dialog).toBeHidden();
      await expectSettled(page, 'production', 'v2');
      await expectNoDowntime(load, older, newest);
    } finally {
      await load.stop();
    }
    expect(await healthOf(productionUrl)).toMatchObject({ commit: newest.sha, release: '2' });
  });

  await test.step('roll production back with traffic on it: the old commit serves again', async () => {
    await production.getByRole('button', { name: 'Rollback' }).click();
    const dialog = page.getByTestId('rollback-dialog');
    await expect(dialog.getByRole('heading', { name: 'Roll back production to v1' })).toBeVisible();
    await expect(dialog).toContainText(short(older.sha));

    const load = startLoad(productionUrl);
    try {
      await expect.poll(() => load.hasServed(newest.sha)).toBe(true);
      await dialog.getByRole('button', { name: 'Roll back to v1' }).click();
      await expect(dialog).toBeHidden();
      await expectSettled(page, 'production', 'v3');
      await expect(page.getByTestId('env-production-sha')).toHaveText(short(older.sha));
      await expectNoDowntime(load, newest, older);
    } finally {
      await load.stop();
    }
    expect(await healthOf(productionUrl)).toMatchObject({ commit: older.sha, release: '3' });

    await production.getByRole('button', { name: 'Releases' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'production releases' })).toBeVisible();
    await expect(page.getByTestId('release-v3')).toContainText('current');
    await expect(page.getByTestId('release-v3')).toContainText(short(older.sha));
    await expect(page.getByTestId('release-v2')).toContainText(short(newest.sha));
    await expect(page.getByTestId('release-v1')).toContainText(short(older.sha));
    await page.getByRole('button', { name: 'Back to demo' }).click();
  });

  await test.step('set GREETING=Ahoy on staging: review, apply, see the new release greet', async () => {
    await staging.getByRole('button', { name: 'Config' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'staging config' })).toBeVisible();
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('textbox', { name: 'Key', exact: true }).fill('GREETING');
    await page.getByRole('textbox', { name: 'Value of GREETING' }).fill('Ahoy');
    await page.getByRole('button', { name: 'Review changes (1)' }).click();

    const review = page.getByRole('dialog', { name: 'Review config changes for staging' });
    await expect(review.getByRole('list', { name: 'Changes' })).toHaveText('+GREETING added: Ahoy');
    // Nothing is applied until the person says so.
    expect(await healthOf(stagingUrl)).toMatchObject({ release: '2' });
    await review.getByRole('button', { name: 'Apply and deploy' }).click();
    await expect(review).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Config change applied' })).toBeVisible();

    await page.getByRole('link', { name: 'watch it on the pipeline page' }).click();
    await expectSettled(page, 'staging', 'v3');
    await expect(staging).toContainText('Set GREETING');
    expect(await healthOf(stagingUrl)).toMatchObject({ commit: newest.sha, release: '3' });

    const popupOpened = page.waitForEvent('popup');
    await page.getByTestId('env-staging-url').click();
    const site = await popupOpened;
    await expect(site.locator('.greeting')).toHaveText('Ahoy');
    await expect(site.locator('#release')).toHaveText('v3');
    await site.close();
  });

  await test.step('read every step in the activity feed, by whom, with config keys but no values', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    const feed = page.getByTestId('activity-page');
    await expect(feed.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
    const ofAction = (action: string) => feed.locator(`[data-testid="activity-item"][data-action="${action}"]`);

    // Newest first: config, rollback, promote, deploy, promote, deploy.
    const ours = feed.locator('[data-testid="activity-item"]:not([data-action="pipeline.create"])');
    await expect(ofAction('config.set')).toHaveCount(1);
    await expect(ofAction('rollback')).toHaveCount(1);
    await expect(ofAction('promote')).toHaveCount(2);
    await expect(ofAction('deploy')).toHaveCount(2);
    const order = await Promise.all((await ours.all()).map((item) => item.getAttribute('data-action')));
    expect(order).toEqual(['config.set', 'rollback', 'promote', 'deploy', 'promote', 'deploy']);
    const reads: string[][] = [
      ['GREETING', 'staging', 'v3'],
      ['production', 'v1', 'v3'],
      ['production', 'v2', short(newest.sha)],
      ['staging', 'v2', short(newest.sha)],
      ['production', 'v1', short(older.sha)],
      ['staging', 'v1', short(older.sha)],
    ];
    for (const [index, words] of reads.entries()) {
      const item = ours.nth(index);
      await expect(item).toContainText(slipway.actor);
      await expect(item).toContainText('succeeded');
      for (const word of words) await expect(item).toContainText(word);
    }
    const config = ofAction('config.set');
    await expect(config).toContainText('staging');
    await expect(config.getByLabel('Config keys')).toHaveText('GREETING');
    await expect(feed).not.toContainText('Ahoy');
    // The stored events themselves carry the key and a hash, never the value.
    const stored = await slipway.cli('activity', 'demo', '--json');
    expect(stored.code).toBe(0);
    expect(stored.stdout).toContain('GREETING');
    expect(stored.stdout).not.toContain('Ahoy');
  });
});
