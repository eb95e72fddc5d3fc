// Someone who does not use a mouse can deploy, and Escape always gets them out of a dialog.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { PIPELINE, demoCommits, environmentCard, releasesOf } from './support/app.js';

test.describe.configure({ mode: 'serial' });

/** Presses Tab (or Shift+Tab) until `target` has focus, as a person would; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, { backwards = false, limit = 40 } = {}): Promise<void> {
  const focused = page.locator('*:focus');
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    // Same element: the focused one is also the target.
    if ((await focused.count()) === 1 && (await target.and(focused).count()) === 1) return;
  }
  throw new Error(`${target} never got focus after ${limit} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`);
}

test('the deploy dialog opens, fills and submits from the keyboard', async ({ page, slipway }) => {
  const [newest, older] = await demoCommits(slipway.home);
  if (!newest || !older) throw new Error('the demo repo has too few commits');
  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  const deployButton = environmentCard(page, 'staging').getByRole('button', { name: 'Deploy', exact: true });
  await expect(deployButton).toBeVisible();

  await test.step('pick the second commit with the arrow keys and submit with Enter', async () => {
    await tabTo(page, deployButton);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Deploy to staging' });
    await expect(dialog).toBeVisible();
    // The dialog puts focus where typing makes sense.
    await expect(dialog.getByRole('textbox', { name: 'Or type a git ref' })).toBeFocused();
    const first = dialog.getByRole('radio', { name: newest.subject });
    const second = dialog.getByRole('radio', { name: older.subject });
    await tabTo(page, first, { backwards: true });
    await page.keyboard.press('ArrowDown');
    await expect(second).toBeChecked();
    await expect(second).toBeFocused();
    await tabTo(page, dialog.getByRole('button', { name: 'Deploy to staging' }));
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v1');
    await expect(page.getByTestId('env-staging-sha')).toHaveText(older.sha.slice(0, 7));
  });

  await test.step('type a ref and press Enter in the field', async () => {
    // Closing the dialog gave focus back to the button that opened it.
    await expect(deployButton).toBeFocused();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Deploy to staging' });
    await expect(dialog).toBeVisible();
    await page.keyboard.type('main');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('env-staging-version')).toHaveText('v2');
    await expect(page.getByTestId('env-staging-sha')).toHaveText(newest.sha.slice(0, 7));
  });
});

test('Escape closes the deploy, promote and rollback dialogs and changes nothing', async ({ page, slipway }) => {
  const before = {
    staging: await releasesOf(slipway.cli, 'staging'),
    production: await releasesOf(slipway.cli, 'production'),
  };
  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  await expect(page.getByTestId('env-staging-version')).toHaveText('v2');
  const staging = environmentCard(page, 'staging');

  // In page order, so each is reached by tabbing forward from the last.
  const openers: { opener: Locator; dialog: Locator }[] = [
    {
      opener: staging.getByRole('button', { name: 'Deploy', exact: true }),
      dialog: page.getByRole('dialog', { name: 'Deploy to staging' }),
    },
    {
      opener: staging.getByRole('button', { name: 'Rollback' }),
      dialog: page.getByRole('dialog', { name: 'Roll back staging to v1' }),
    },
    {
      opener: page.getByRole('button', { name: 'Promote to production' }),
      dialog: page.getByRole('dialog', { name: 'Promote staging → production' }),
    },
  ];
  for (const { opener, dialog } of openers) {
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // Focus goes back where it was, so the next Tab continues from there.
    await expect(opener).toBeFocused();
  }

  expect({
    staging: await releasesOf(slipway.cli, 'staging'),
    production: await releasesOf(slipway.cli, 'production'),
  }).toEqual(before);
});
