// Wall time of `slipway promote shop --from staging --to production --yes --json` against the AWS
// stand-in (real SDK clients over HTTP), next to `aws ecs update-service` of the AWS CLI pointed at the
// same stand-in. Figures only, no assertions. The AWS CLI only starts a deployment; slipway promote
// also makes the release and waits until ECS reports the rollout done, so the gap is the rollout wait.
// Run: npm run build && node bench/run.js   (BENCH_RUNS sets N; default 5 here, each promote waits for a rollout)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** The repository root: this file runs from bench/ or, bundled, from dist/bench/. */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'slipway.js'))) return dir;
  }
  return process.cwd();
}
const root = findRoot();
const cli = join(root, 'bin', 'slipway.js');
const standInScript = join(root, 'dist', 'main', 'aws-standin.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
// 0: the stand-in finishes rollouts at once, so the figure is Slipway's own time (the AWS CLI's call does not wait either).
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 0);
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number): string => `${value.toFixed(0)} ms`;

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms: elapsed, stdout: result.stdout };
}

async function startStandIn(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [standInScript, '--settle-ms', String(SETTLE_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the stand-in exited with code ${code}`)));
  });
  lines.close();
  return { child, endpoint: (JSON.parse(first) as { endpoint: string }).endpoint };
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

if (!existsSync(standInScript) || !existsSync(join(root, 'dist', 'main', 'cli.js'))) {
  console.log('dist/main is not built; run `npm run build` first. Skipped.');
  process.exit(0);
}

const home = mkdtempSync(join(tmpdir(), 'slipway-bench-aws-'));
const { child, endpoint } = await startStandIn();
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SLIPWAY_HOME: home,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
};
delete env.AWS_PROFILE;
const slipway = (...args: string[]): { ms: number; stdout: string } => timed(process.execPath, [cli, ...args], env);

try {
  slipway(
    'pipelines:create',
    'shop',
    '--provider',
    'aws-ecs',
    '--region',
    'eu-west-1',
    '--env',
    'staging=staging/shop-web',
    '--env',
    'production=production/shop-web',
    '--json',
  );
  slipway('deploy', 'shop', '--env', 'staging', '--image', `${IMAGE}:v1.4.0`, '--json');

  const promotes: number[] = [];
  const steps = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const { ms: elapsed, stdout } = slipway(
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
    const described = JSON.parse(
      timed(
        'aws',
        [
          'ecs',
          'describe-services',
          '--cluster',
          'production',
          '--services',
          'shop-web',
          '--endpoint-url',
          endpoint,
          '--output',
          'json',
        ],
        env,
      ).stdout,
    ) as { services: { taskDefinition: string }[] };
    const taskDefinition = described.services[0]?.taskDefinition.split('/').pop() ?? '';
    const updates: number[] = [];
    for (let i = 0; i < runs; i++) {
      updates.push(
        timed(
          'aws',
          [
            'ecs',
            'update-service',
            '--cluster',
            'production',
            '--service',
            'shop-web',
            '--task-definition',
            taskDefinition,
            '--endpoint-url',
            endpoint,
            '--output',
            'json',
          ],
          env,
        ).ms,
      );
    }
    const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    console.log(
      `  aws ecs update-service (${(version.stdout || version.stderr).trim().split(' ')[0]}) ${ms(median(updates)).padStart(9)}   (starts the deployment only; does not wait for it)`,
    );
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(home, { recursive: true, force: true });
}
