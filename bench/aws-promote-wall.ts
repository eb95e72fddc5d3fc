// Wall time of `slipway promote shop --from staging --to production --yes --json` against the AWS
// stand-in (real SDK clients over HTTP), next to `aws ecs update-service` of the AWS CLI pointed at the
// same stand-in, which runs inside this process as it does in the tests. Figures only, no assertions. The AWS CLI only starts a deployment; slipway promote
// also makes the release and waits until ECS reports the rollout done, so the gap is the rollout wait.
// Run: npm run build && node bench/run.js   (BENCH_RUNS sets N; default 5 here, each promote waits for a rollout)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { standInClientEnv } from '../src/main/providers/aws-ecs/standin/client-env.js';
import { DEMO_PIPELINE_CREATE } from '../src/main/providers/aws-ecs/standin/demo-account.js';
import { startStandIn } from '../src/main/providers/aws-ecs/standin/server.js';

/** The repository root: this file runs from bench/ or, bundled, from dist/bench/. */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'slipway.js'))) return dir;
  }
  return process.cwd();
}
const root = findRoot();
const cli = join(root, 'bin', 'slipway.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
// 0: the stand-in finishes rollouts at once, so the figure is Slipway's own time (the AWS CLI's call does not wait either).
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 0);
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number): string => `${value.toFixed(0)} ms`;

/** Runs a command to its end without blocking this process, which serves the stand-in the command talks to. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const start = process.hrtime.bigint();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${status}: ${stderr}`);
  return { ms: elapsed, stdout };
}

/** The AWS CLI, installed from Debian's `awscli` when missing (only for this benchmark). */
function awsCli(): boolean {
  if (spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0) return true;
  console.log('The AWS CLI is not installed; trying `apt-get install -y awscli` for the comparison…');
  const installed = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'awscli'], { stdio: 'ignore' });
  if (installed.status === 0 && spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0) return true;
  console.log('The AWS CLI could not be installed, so the comparison is skipped.');
  return false;
}

if (!existsSync(join(root, 'dist', 'main', 'cli.js'))) {
  console.log('dist/main is not built; run `npm run build` first. Skipped.');
  process.exit(0);
}

const home = mkdtempSync(join(tmpdir(), 'slipway-bench-aws-'));
const standIn = await startStandIn({ settleAfterMs: SETTLE_MS });
const endpoint = standIn.endpoint;
// AWS_DEFAULT_REGION too: version 1 of the AWS CLI reads only that one.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ...standInClientEnv(endpoint),
  SLIPWAY_HOME: home,
  AWS_DEFAULT_REGION: 'eu-west-1',
};
delete env.AWS_PROFILE;
const slipway = (...args: string[]): Promise<{ ms: number; stdout: string }> =>
  timed(process.execPath, [cli, ...args], env);

try {
  await slipway(...DEMO_PIPELINE_CREATE, '--json');
  await slipway('deploy', 'shop', '--env', 'staging', '--image', `${IMAGE}:v1.4.0`, '--json');

  const promotes: number[] = [];
  const steps = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const { ms: elapsed, stdout } = await slipway(
      'promote',
      'shop',
      '--from',
      'staging',
      '--to',
      'production',
      '--yes',
      '--json',
    );
    promotes.push(elapsed);
    const deployment = JSON.parse(stdout) as { steps: { name: string; at: string }[]; finishedAt?: string };
    deployment.steps.forEach((step, index) => {
      const next = deployment.steps[index + 1]?.at ?? deployment.finishedAt;
      if (next === undefined) return;
      steps.set(step.name, [...(steps.get(step.name) ?? []), Date.parse(next) - Date.parse(step.at)]);
    });
  }
  console.log(
    `Promote staging → production against the AWS stand-in (rollouts settle after ${SETTLE_MS} ms), median of ${runs}`,
  );
  console.log(
    `  slipway promote … --yes --json            ${ms(median(promotes)).padStart(9)}   (min ${ms(Math.min(...promotes))}, max ${ms(Math.max(...promotes))})`,
  );
  for (const [name, values] of steps) console.log(`    step ${name.padEnd(34)} ${ms(median(values)).padStart(9)}`);

  if (awsCli()) {
    const ecs = async (...args: string[]) =>
      timed('aws', ['ecs', ...args, '--endpoint-url', endpoint, '--output', 'json'], env);
    const described = JSON.parse(
      (await ecs('describe-services', '--cluster', 'production', '--services', 'shop-web')).stdout,
    ) as { services: { taskDefinition: string }[] };
    const taskDefinition = described.services[0]?.taskDefinition.split('/').pop() ?? '';
    const updates: number[] = [];
    for (let i = 0; i < runs; i++) {
      const update = await ecs(
        'update-service',
        '--cluster',
        'production',
        '--service',
        'shop-web',
        '--task-definition',
        taskDefinition,
      );
      updates.push(update.ms);
    }
    const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    console.log(
      `  aws ecs update-service (${(version.stdout || version.stderr).trim().split(' ')[0]}) ${ms(median(updates)).padStart(9)}   (starts the deployment only; does not wait for it)`,
    );
  }
} finally {
  await standIn.dispose();
  rmSync(home, { recursive: true, force: true });
}
