// Logs, metrics and alarms on the local provider, as a person sees them: a request to the demo app
// shows up in the Logs view; a memory-hungry config makes the memory graph rise after its release mark;
// an alarm whose threshold is crossed raises a desktop notification while the window is in the background.
import { expect, test, type SlipwayServer } from './fixtures.js';
import { PIPELINE, environmentCard, environmentUrl } from './support/app.js';

// Sample every second so the graph and the alarm move within a test's patience.
process.env.SLIPWAY_SAMPLE_MS = '1000';

test.use({ viewport: { width: 1360, height: 900 } });

/** Each test stands alone: a failed test gets the next one a fresh workspace. */
async function ensureStagingDeployed(slipway: SlipwayServer): Promise<void> {
  const status = await slipway.cli('status', PIPELINE, '--json');
  const staging = (
    JSON.parse(status.stdout) as { environments: { environment: string; current?: unknown }[] }
  ).environments.find((env) => env.environment === 'staging');
  if (staging?.current) return;
  const deployed = await slipway.cli('deploy', PIPELINE, '--env', 'staging', '--ref', 'main');
  expect(deployed.code, deployed.stderr).toBe(0);
}

test('a request to the demo app appears in the Logs view', async ({ page, slipway }) => {
  await ensureStagingDeployed(slipway);
  await slipway.open(page, `#/pipelines/${PIPELINE}`);
  await environmentCard(page, 'staging').getByRole('link', { name: 'Logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'staging logs' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await page.getByText('Waiting for new lines').waitFor();

  await page.goto(`${slipway.origin}/#/pipelines/${PIPELINE}`);
  const url = await environmentUrl(page, 'staging');
  await page.goBack();
  await expect(page.getByText('Waiting for new lines')).toBeVisible();
  const response = await fetch(`${url}/hello-from-e2e`);
  expect(response.status).toBe(404);
  const row = page.getByTestId('log-row').filter({ hasText: 'GET /hello-from-e2e' });
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-instance', /^v1\.web\.\d\./);
  // The status code keeps the colour the app gave it (yellow for 404).
  await expect(row.locator('span[style*="color"]').filter({ hasText: '404' })).toBeVisible();

  await test.step('pause holds new lines back until "Jump to live"', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await fetch(`${url}/while-paused`);
    await expect(page.getByRole('status').filter({ hasText: /Paused — 1 new lines waiting/ })).toBeVisible();
    await expect(page.getByTestId('log-row').filter({ hasText: '/while-paused' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Jump to live' }).click();
    await expect(page.getByTestId('log-row').filter({ hasText: '/while-paused' })).toBeVisible();
  });

  await test.step('search finds both lines, newest first', async () => {
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('e2e');
    await page.getByRole('button', { name: 'Find lines' }).click();
    await expect(page.getByTestId('log-row').first()).toContainText('GET /hello-from-e2e');
  });
});

test('a memory-hungry config makes the memory graph rise after its release', async ({ page, slipway }) => {
  await ensureStagingDeployed(slipway);
  await slipway.open(page, `#/pipelines/${PIPELINE}/metrics/staging`);
  await expect(page.getByRole('heading', { level: 1, name: 'staging metrics' })).toBeVisible();
  const latest = page.getByTestId('memory-chart').getByTestId('metric-latest');
  await expect(latest.first()).toBeVisible();
  const before = Math.max(
    ...(await latest.evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-value'))))),
  );

  const set = await slipway.cli('config:set', PIPELINE, '--env', 'staging', 'MEMORY_HOG_MB=200');
  expect(set.code, set.stderr).toBe(0);
  // The new instances (v2) hold 200 MB more than the ones before them.
  const v2 = page.getByTestId('memory-chart').locator('[data-testid="metric-latest"][data-instance^="v2."]');
  await expect(v2).toHaveCount(2, { timeout: 30_000 });
  await expect
    .poll(async () =>
      Math.min(...(await v2.evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-value')))))),
    )
    .toBeGreaterThan(before + 150);
  // On the chart, each instance has its line, and the new ones run above the old (a smaller y is higher).
  const lines = page.getByTestId('memory-chart').locator('path.metrics-line');
  await expect(lines.and(page.locator('[data-instance^="v2."]'))).toHaveCount(2);
  // How far the new lines' highest point sits above the old ones', in pixels.
  const rise = () =>
    lines.evaluateAll((paths) => {
      const highestY = (prefix: string): number =>
        Math.min(
          ...paths
            .filter((p) => p.getAttribute('data-instance')?.startsWith(prefix))
            .flatMap((p) => [...(p.getAttribute('d') ?? '').matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]))),
        );
      return highestY('v1.') - highestY('v2.');
    });
  await expect.poll(rise).toBeGreaterThan(20);
  // The release is marked on the time axis.
  await expect(page.getByTestId('memory-chart').getByText('v2', { exact: true })).toBeVisible();
});

test('an alarm whose threshold is crossed shows a desktop notification while the window is in the background', async ({
  page,
  context,
  slipway,
}) => {
  await ensureStagingDeployed(slipway);
  await context.grantPermissions(['notifications'], { origin: slipway.origin });
  // Watch what the page hands to the operating system: the real Notification, noted on the way.
  await page.addInitScript({ path: new URL('./support/notification-recorder.js', import.meta.url).pathname });
  await slipway.open(page, `#/pipelines/${PIPELINE}/metrics/staging`);
  const panel = page.getByTestId('alarms-panel');
  await panel.getByRole('combobox').selectOption('memory');
  await panel.getByRole('textbox', { name: 'Threshold' }).fill('0.01');
  await panel.getByRole('textbox', { name: 'Period in seconds' }).fill('10');
  await panel.getByRole('button', { name: 'Add alarm' }).click();
  await expect(panel.getByTestId('alarm')).toContainText('staging-memory-0.01');

  // The person switches to another window: the browser tells the page it lost focus.
  await page.evaluate("window.dispatchEvent(new Event('blur'))");
  await expect
    .poll(
      () =>
        page.evaluate(
          '[document.hasFocus(), document.visibilityState, Notification.permission, ...window.__slipwayNotifications]',
        ),
      { timeout: 40_000 },
    )
    .toContainEqual(expect.objectContaining({ title: 'Alarm: demo-staging-memory-0.01' }));
  await page.evaluate("window.dispatchEvent(new Event('focus'))");
  await expect(panel.locator('[data-testid="alarm"][data-state="ALARM"]')).toBeVisible();
});
