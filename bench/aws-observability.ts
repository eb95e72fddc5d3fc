// Prints the ECS observability figures:
// - PutLogEvents → the line on screen in the Logs view (Chromium, built server and window), against the
//   AWS emulator's Live Tail.
// - GetMetricData calls for the Metrics view of an environment with 20 tasks over 24 h (CloudWatch
//   answered by a stand-in that keeps its documented 100,800-points-per-call limit, since the emulator
//   has no SEARCH expressions).
// Run: npm run bench (bundled by bench/run.js). Starts the emulator in ../shared/aws-emulator unless
// AWS_ENDPOINT_URL names one; without either, the tail figure is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { chromium } from '@playwright/test';
import { startServer } from '../e2e/support/server.js';

const row = (name: string, value: string, target: string, pass: boolean): void =>
  console.log(`${pass ? 'ok  ' : 'MISS'} ${name.padEnd(52)} ${value.padStart(12)}   target ${target}`);

function emulator(): string | undefined {
  if (process.env.AWS_ENDPOINT_URL) return process.env.AWS_ENDPOINT_URL;
  const start = resolve(process.env.SLIPWAY_AWS_EMULATOR ?? '../shared/aws-emulator', 'start');
  if (!existsSync(start)) return undefined;
  return execFileSync(start, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function tailFigure(): Promise<void> {
  const endpoint = emulator();
  if (endpoint === undefined) {
    console.log('skip PutLogEvents → on screen: no AWS emulator (set AWS_ENDPOINT_URL)');
    return;
  }
  // The built server (a child of this process) and the SDK here take these.
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_REGION ??= 'us-east-1';
  const { emulatorEnvironment, REGION } =
    await import('../src/main/providers/aws-ecs/observability/testing/emulator-environment.js');
  const env = await emulatorEnvironment();
  const task = await env.runTask();
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const created = await server.cli(
      'pipelines:create',
      'obsbench',
      '--provider',
      'aws-ecs',
      '--region',
      REGION,
      '--env',
      `staging=${env.cluster}/${env.service}`,
    );
    if (created.code !== 0) throw new Error(`pipelines:create: ${created.stderr}`);
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    // In the page: when each bench line first shows in the Logs view (Date.now, the clock this process reads).
    await page.addInitScript({
      content: `
        window.seen = {};
        new MutationObserver(() => {
          for (const row of document.querySelectorAll('[data-testid="log-row"]')) {
            const match = /bench line (\\d+)/.exec(row.textContent ?? '');
            if (match && window.seen[match[1]] === undefined) window.seen[match[1]] = Date.now();
          }
        }).observe(document, { childList: true, subtree: true });
      `,
    });
    await page.goto(server.routeUrl('#/pipelines/obsbench/logs/staging'));
    await page.getByText('Waiting for new lines').waitFor();
    await new Promise((r) => setTimeout(r, 1_500));
    const samples: number[] = [];
    for (let i = 0; i < 12; i++) {
      const sent = Date.now();
      await env.write(task, [{ timestamp: sent, message: `bench line ${i}` }]);
      const shown = await page
        .waitForFunction((n) => (globalThis as unknown as { seen: Record<string, number> }).seen[n], String(i), {
          timeout: 10_000,
        })
        .then((handle) => handle.jsonValue() as Promise<number>)
        .catch(() => NaN);
      samples.push(shown - sent);
      // Lines land at any moment of a Live Tail second, as an app's would.
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
    }
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    row('AWS (emulator): PutLogEvents → on screen (p95 of 12)', `${p95.toFixed(0)} ms`, '≤ 1500 ms', p95 <= 1_500);
    console.log(
      `     (p50 ${p50.toFixed(0)} ms; Live Tail of the emulator → built server → WebSocket → the Logs view in Chromium)`,
    );
  } finally {
    await browser.close();
    await server.stop();
    env.dispose();
  }
}

async function metricCallsFigure(): Promise<void> {
  const { answerLikeCloudWatch } = await import('../src/main/providers/aws-ecs/observability/testing/metric-data.js');
  const { createEcsObservability } = await import('../src/main/providers/aws-ecs/observability/index.js');
  const { createRuntime } = await import('../src/main/providers/aws-ecs/runtime.js');
  const { ecsContext } = await import('../src/main/providers/aws-ecs/testing/fixtures.js');
  const ecs = mockClient(ECSClient);
  const cloudwatch = mockClient(CloudWatchClient);
  ecs
    .on(DescribeClustersCommand)
    .resolves({ clusters: [{ settings: [{ name: 'containerInsights', value: 'enhanced' }] }] });
  const tasks = Array.from({ length: 20 }, (_, i) => `task-${i}`);
  cloudwatch
    .on(GetMetricDataCommand)
    .callsFake((input: GetMetricDataCommandInput) => answerLikeCloudWatch(input, tasks));
  const rt = createRuntime({});
  const obs = createEcsObservability(rt);
  try {
    const until = Date.now();
    // The core asks 24 h at 300 s; the finest the provider keeps is 60 s, the costliest case, shown too.
    for (const periodSeconds of [300, 60]) {
      cloudwatch.resetHistory();
      const answer = await obs.metrics.series(ecsContext(), {
        since: new Date(until - 24 * 3_600_000).toISOString(),
        until: new Date(until).toISOString(),
        periodSeconds,
      });
      const calls = cloudwatch.commandCalls(GetMetricDataCommand).length;
      const instances = new Set(answer.series.map((s) => s.instance).filter(Boolean)).size;
      row(`GetMetricData calls, ${instances} instances × 24 h at ${periodSeconds} s`, String(calls), '≤ 2', calls <= 2);
    }
  } finally {
    obs.dispose();
    rt.pool.dispose();
    ecs.restore();
    cloudwatch.restore();
  }
}

await tailFigure();
await metricCallsFigure();
