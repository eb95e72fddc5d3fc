// ECS figures against the AWS emulator (a moto server none of us wrote), in one run:
//  1. wall time of a cold `slipway promote --yes` (release made, rollout followed to COMPLETED) next to the
//     AWS CLI doing the same by hand: register-task-definition, update-service, wait services-stable;
//  2. the AWS calls each cold `slipway` command makes, counted on the wire by a proxy, on task-definition
//     families of 5 and of 200 revisions.
// Figures only, no assertions. The emulator is AWS_ENDPOINT_URL, else started from ../shared/aws-emulator.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FLOOR_COMMANDS,
  formatOperations,
  measureCallFloors,
  pollsOf,
  type Measured,
} from '../src/main/providers/aws-ecs/testing/call-floors.js';
import { createEmulatorApp, REGION } from '../src/main/providers/aws-ecs/testing/emulator-app.js';

function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'slipway.js'))) return dir;
  }
  return process.cwd();
}
const root = findRoot();
const cli = join(root, 'bin', 'slipway.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number): string => `${value.toFixed(0)} ms`;

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** The emulator's address: AWS_ENDPOINT_URL when it answers, else the shared emulator started. */
async function emulator(): Promise<string | undefined> {
  const given = process.env.AWS_ENDPOINT_URL;
  if (given !== undefined && (await reachable(given))) return given;
  const start = resolve(process.env.SLIPWAY_AWS_EMULATOR ?? join(root, '..', 'shared', 'aws-emulator'), 'start');
  if (!existsSync(start)) return undefined;
  try {
    return execFileSync(start, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  });
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${status}: ${stderr.slice(-500)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

if (!existsSync(join(root, 'dist', 'main', 'cli.js'))) {
  console.log('dist/main is not built; run `npm run build` first. Skipped.');
  process.exit(0);
}
const endpoint = await emulator();
if (endpoint === undefined) {
  console.log(
    'Skipped: no AWS emulator answers (set AWS_ENDPOINT_URL, or SLIPWAY_AWS_EMULATOR to the folder of its `start`).',
  );
  process.exit(0);
}
console.log(`AWS emulator at ${endpoint}`);

const home = mkdtempSync(join(tmpdir(), 'slipway-bench-ecs-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SLIPWAY_HOME: home,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: REGION,
  // Version 1 of the AWS CLI reads only this one.
  AWS_DEFAULT_REGION: REGION,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
delete env.AWS_PROFILE;

try {
  // 1. promote to COMPLETED: Slipway vs the AWS CLI by hand, alternating, on one app.
  const app = await createEmulatorApp(endpoint);
  const slipway = (...args: string[]): Promise<number> => timed(process.execPath, [cli, ...args], env);
  await slipway(...app.createArgs, '--json');
  await slipway('deploy', app.pipeline, '--env', 'staging', '--image', `${app.imageName}:v1.1.0`, '--json');
  const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
  const awsVersion = hasAws ? spawnSync('aws', ['--version'], { encoding: 'utf8' }) : undefined;
  // What a person would register by hand: production's revision with staging's image, prepared once.
  const input = join(home, 'production-td.json');
  if (hasAws) {
    const aws = (...args: string[]): string =>
      execFileSync('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env, encoding: 'utf8' });
    const service = JSON.parse(
      aws('ecs', 'describe-services', '--cluster', app.cluster, '--services', 'web-production'),
    ) as { services: { taskDefinition: string }[] };
    const td = JSON.parse(
      aws('ecs', 'describe-task-definition', '--task-definition', service.services[0]?.taskDefinition ?? ''),
    ).taskDefinition as Record<string, unknown> & { containerDefinitions: { image: string }[] };
    for (const key of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ])
      delete td[key];
    for (const c of td.containerDefinitions) c.image = `${app.imageName}@${app.digests['v1.1.0']}`;
    writeFileSync(input, JSON.stringify(td));
  }
  const promote: number[] = [];
  const byHand: number[] = [];
  for (let i = 0; i < runs; i++) {
    promote.push(await slipway('promote', app.pipeline, '--from', 'staging', '--to', 'production', '--yes', '--json'));
    if (hasAws) {
      const start = process.hrtime.bigint();
      const awsArgs = ['--endpoint-url', endpoint, '--output', 'json'];
      const registered = execFileSync(
        'aws',
        [...awsArgs, 'ecs', 'register-task-definition', '--cli-input-json', `file://${input}`],
        { env, encoding: 'utf8' },
      );
      const arn = (JSON.parse(registered) as { taskDefinition: { taskDefinitionArn: string } }).taskDefinition
        .taskDefinitionArn;
      await timed(
        'aws',
        [
          ...awsArgs,
          'ecs',
          'update-service',
          '--cluster',
          app.cluster,
          '--service',
          'web-production',
          '--task-definition',
          arn,
        ],
        env,
      );
      await timed(
        'aws',
        [...awsArgs, 'ecs', 'wait', 'services-stable', '--cluster', app.cluster, '--services', 'web-production'],
        env,
      );
      byHand.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  console.log(`\nPromote staging → production to COMPLETED, cold process each time (median of ${runs})`);
  console.log(`  slipway promote --yes                                     ${ms(median(promote)).padStart(8)}`);
  if (hasAws) {
    console.log(
      `  aws ecs register-task-definition + update-service + wait services-stable ${ms(median(byHand)).padStart(8)}   (${awsVersion?.stdout.trim() || awsVersion?.stderr.trim()})`,
    );
  } else {
    console.log('  The AWS CLI (`aws`) is not on PATH, so the by-hand comparison is skipped.');
  }

  // 2. AWS calls per cold command, counted by a proxy, at 5 and 200 revisions.
  const five = await measureCallFloors(cli, endpoint, 5);
  const many = await measureCallFloors(cli, endpoint, 200);
  const targets: Record<string, string> = {
    status:
      'DescribeServices/10 services/cluster, ListTasks/service, DescribeTasks/100 tasks, DescribeTaskDefinition/running revision',
    releases: '≤ 22',
    'deploy --image': '≤ 7 + polls',
    promote: '≤ 7 + polls',
    'config:set': '≤ 7 + polls',
    rollback: '≤ 7 + polls',
  };
  console.log(
    '\nAWS calls of one cold `slipway` command, every service counted on the wire (2 environments, one cluster)',
  );
  console.log(
    `  ${'command'.padEnd(16)} ${'5 rev.'.padStart(7)} ${'200 rev.'.padStart(9)} ${'polls'.padStart(6)}   target`,
  );
  for (const command of FLOOR_COMMANDS) {
    const a = five.find((m) => m.command === command) as Measured;
    const b = many.find((m) => m.command === command) as Measured;
    console.log(
      `  ${command.padEnd(16)} ${String(a.total).padStart(7)} ${String(b.total).padStart(9)} ${String(pollsOf(b)).padStart(6)}   ${targets[command] ?? ''}`,
    );
    const [five_, many_] = [formatOperations(a), formatOperations(b)];
    if (five_ === many_) console.log(`      both: ${many_}`);
    else console.log(`      5 rev.: ${five_}\n      200 rev.: ${many_}`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
