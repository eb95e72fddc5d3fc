// Prints the ECS observability figures:
// - PutLogEvents → the line in a `logs.tail` stream event from the router (the path the window and the
//   CLI read; the on-screen part is the Logs view's figure), against the AWS emulator's Live Tail.
// - GetMetricData calls for the Metrics view of an environment with 20 tasks over 24 h (CloudWatch
//   answered by a stand-in that keeps its documented 100,800-points-per-call limit, since the emulator
//   has no SEARCH expressions).
// Run: npm run bench (bundled by bench/run.js). Starts the emulator in ../shared/aws-emulator unless
// AWS_ENDPOINT_URL names one; without either, the tail figure is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';

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
    console.log('skip PutLogEvents → tail stream event: no AWS emulator (set AWS_ENDPOINT_URL)');
    return;
  }
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_REGION ??= 'us-east-1';
  const { emulatorEnvironment } =
    await import('../src/main/providers/aws-ecs/observability/testing/emulator-environment.js');
  const { createServices } = await import('../src/main/services.js');
  const env = await emulatorEnvironment();
  const task = await env.runTask();
  const home = mkdtempSync(join(tmpdir(), 'slipway-bench-obs-'));
  const services = await createServices({ home, log: () => undefined });
  const cli = { transport: 'cli' as const };
  try {
    const created = await services.router.call(
      'pipelines.create',
      { name: 'obsbench', environments: [{ name: 'staging', target: env.ctx.environment.target }] },
      cli,
    );
    if (!created.ok) throw new Error(`pipelines.create: ${JSON.stringify(created)}`);
    const waiting = new Map<string, (at: number) => void>();
    const subscription = services.router.subscribe(
      'logs.tail',
      { pipeline: 'obsbench', environment: 'staging' },
      cli,
      (event) => {
        const e = event as { type: string; lines?: { text: string }[] };
        for (const line of e.lines ?? []) waiting.get(line.text)?.(performance.now());
      },
    );
    if (!subscription.ok) throw new Error(`logs.tail: ${JSON.stringify(subscription)}`);
    await new Promise((r) => setTimeout(r, 1_500));
    const samples: number[] = [];
    for (let i = 0; i < 12; i++) {
      const text = `bench line ${i} ${Math.random()}`;
      const seen = new Promise<number>((r) => waiting.set(text, r));
      const sent = performance.now();
      await env.write(task, [{ timestamp: Date.now(), message: text }]);
      const at = await Promise.race([seen, new Promise<number>((r) => setTimeout(() => r(NaN), 10_000))]);
      samples.push(at - sent);
      // Lines land at any moment of a Live Tail second, as an app's would.
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
    }
    subscription.value.dispose();
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    row('AWS (emulator): PutLogEvents → logs.tail stream event', `p95 ${p95.toFixed(0)} ms`, '≤ 1500 ms', p95 <= 1_500);
    console.log(
      `     (p50 ${p50.toFixed(0)} ms over ${samples.length} lines; measured at the router's stream event, not on screen)`,
    );
  } finally {
    await services.dispose();
    env.dispose();
    rmSync(home, { recursive: true, force: true });
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
