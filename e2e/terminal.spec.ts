// The exec terminal from the window: a shell in staging shows that release's config; a `yes` flood in
// one tab leaves another tab answering keystrokes and the page's memory bounded; closing a tab ends
// the shell and everything it started (checked by pid).
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { PIPELINE, environmentCard } from './support/app.js';

test.describe.configure({ mode: 'serial' });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has exited; only its parent's bookkeeping is left.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

const panel = (page: Page, index: number): Locator => page.getByTestId('terminal-panel').nth(index);
const screenText = async (target: Locator): Promise<string> =>
  (await target.locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');

async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await target.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function heapBytes(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
}

test.beforeAll(async ({ slipway }) => {
  expect((await slipway.cli('deploy', PIPELINE, '--env', 'staging', '--ref', 'HEAD')).code).toBe(0);
  expect((await slipway.cli('config:set', PIPELINE, '--env', 'staging', 'GREETING=Ahoy from the shell')).code).toBe(0);
});

test("a shell in staging shows that release's config, and the tab stays readable after exit", async ({
  page,
  slipway,
}) => {
  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  await environmentCard(page, 'staging').getByRole('button', { name: 'Open shell' }).click();
  const dock = page.getByTestId('terminal-dock');
  await expect(dock).toBeVisible();
  const first = panel(page, 0);
  await expect(first).toHaveAttribute('data-tab-state', 'open');
  await typeInto(page, first, 'echo "greeting: $GREETING"');
  await expect.poll(() => screenText(first)).toContain('greeting: Ahoy from the shell');
  await dock.screenshot({ path: test.info().outputPath('terminal-dock.png') });

  await typeInto(page, first, 'exit 4');
  await expect(first).toHaveAttribute('data-tab-state', 'exited');
  await expect.poll(() => screenText(first)).toContain('exited with code 4');
  // Still readable: the greeting is on screen after the end line.
  expect(await screenText(first)).toContain('greeting: Ahoy from the shell');
  await expect(page.getByRole('tab', { name: /exited 4/ })).toBeVisible();
  await page.getByTestId('terminal-tab-close').first().click();
  await expect(dock).toBeHidden();
});

test('a yes flood in one tab: another tab still echoes keystrokes, memory stays bounded, closing ends both', async ({
  page,
  slipway,
}) => {
  test.setTimeout(90_000);
  const dir = await mkdtemp(join(tmpdir(), 'slipway-e2e-term-'));
  const pidFile = join(dir, 'pids');
  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  const staging = environmentCard(page, 'staging');

  await staging.getByRole('button', { name: 'Open shell' }).click();
  const flood = panel(page, 0);
  await expect(flood).toHaveAttribute('data-tab-state', 'open');
  await typeInto(page, flood, `echo $$ > ${pidFile}; sh -c 'echo $$ >> ${pidFile}; exec yes'`);
  await expect.poll(async () => (await readFile(pidFile, 'utf8').catch(() => '')).trim().split('\n').length).toBe(2);
  const [shellPid, yesPid] = (await readFile(pidFile, 'utf8')).trim().split('\n').map(Number) as [number, number];
  expect(alive(shellPid) && alive(yesPid)).toBe(true);

  const heapBefore = await heapBytes(page);
  // A second tab, on one instance this time.
  await staging.getByRole('button', { name: 'Shell' }).first().click();
  const quiet = panel(page, 1);
  await expect(quiet).toHaveAttribute('data-tab-state', 'open');
  await quiet.locator('.xterm-helper-textarea').focus();

  // Echo times measured in the page: from the keydown to the row that shows it.
  await page.evaluate(`(() => {
    const rows = document.querySelectorAll('[data-testid="terminal-panel"]')[1].querySelector('.xterm-rows');
    const times = [];
    let typedAt;
    document.addEventListener('keydown', () => (typedAt = performance.now()), true);
    new MutationObserver(() => {
      if (typedAt === undefined) return;
      times.push(performance.now() - typedAt);
      typedAt = undefined;
    }).observe(rows, { subtree: true, childList: true, characterData: true });
    window.echoTimes = times;
  })()`);
  const started = Date.now();
  let typed = 0;
  while (Date.now() - started < 10_000) {
    await page.keyboard.type('k');
    typed += 1;
    await page.waitForTimeout(400);
  }
  const echoes = (await page.evaluate('window.echoTimes')) as number[];
  const sorted = [...echoes].sort((a, b) => a - b);
  const figure = `keystroke echo during a yes flood: ${echoes.length}/${typed} echoed, p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`;
  test.info().annotations.push({ type: 'figure', description: figure });
  console.log(figure);
  expect(echoes.length).toBe(typed);
  expect(await screenText(quiet)).toContain('k'.repeat(typed));

  // Flow control keeps the flood at the pty: the page's heap does not grow with 10 s of `yes`.
  const heapAfter = await heapBytes(page);
  const growth = heapAfter - heapBefore;
  console.log(
    `page heap: ${(heapBefore / 1e6).toFixed(1)} MB before, ${(heapAfter / 1e6).toFixed(1)} MB after 10 s of yes`,
  );
  expect(growth).toBeLessThan(64 * 1024 * 1024);
  expect(alive(yesPid)).toBe(true);

  // Close the flooding tab from the keyboard: its shell and the yes under it are gone.
  await page.getByRole('tab').first().focus();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('terminal-tab')).toHaveCount(1);
  await expect.poll(() => alive(shellPid) || alive(yesPid), { timeout: 10_000 }).toBe(false);

  // The activity feed has the session, with its instance and no typed input.
  const activity = await slipway.cli('activity', PIPELINE, '--json');
  expect(activity.stdout).toContain('exec.end');
  expect(activity.stdout).not.toContain('exec yes');
});
