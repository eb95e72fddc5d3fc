// `slipway` for real against an AWS account: main() with a fresh workspace, the real AWS SDK clients,
// and the HTTP stand-in for ECS, ECR, CloudWatch Logs and STS behind AWS_ENDPOINT_URL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsIdentitySchema,
  pipelineStatusSchema,
  releaseListItemSchema,
  runResultSchema,
} from '../../shared/contract/index.js';
import { deploymentSchema, instanceSchema, pipelineSchema, publicConfigVarSchema } from '../../shared/model.js';
import { main } from '../cli.js';
import { stopAllLocal } from '../providers/local/index.js';
import { DEMO_IMAGE_NAME, DEMO_PIPELINE_CREATE, DEMO_REVISIONS } from '../providers/aws-ecs/standin/demo-account.js';
import { useStandIn } from '../providers/aws-ecs/testing/use-stand-in.js';
import { recordingIo, type RecordingIo } from './test-io.js';

const standIn = useStandIn({ settleAfterMs: 100 });
let home: string;

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; io: RecordingIo }> {
  const io = recordingIo({ env: { SLIPWAY_HOME: home, ...env } });
  const code = await main(argv, io);
  return { code, io };
}

async function json(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const { code, io } = await run([...argv, '--json'], env);
  if (code !== 0) throw new Error(`slipway ${argv.join(' ')} exited ${code}: ${io.err()}`);
  return JSON.parse(io.out());
}

/** The app container of the revision an ECS service runs now, read from the stand-in's state. */
function serving(cluster: string) {
  const service = standIn.ecs.service(cluster, 'shop-web');
  const td = standIn.ecs.taskDefinitions.get(service?.taskDefinition ?? '')?.td;
  return td?.containerDefinitions?.find((c) => c.name === 'app');
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipway-cli-aws-'));
});

afterAll(async () => {
  await stopAllLocal(home);
  await rm(home, { recursive: true, force: true });
});

describe('slipway against an AWS account', () => {
  it('creates an aws-ecs pipeline from existing services, environments in the order given', async () => {
    const created = pipelineSchema.parse(await json(DEMO_PIPELINE_CREATE));
    expect(created.environments.map((e) => [e.name, e.target])).toEqual([
      ['staging', { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'staging', service: 'shop-web' }],
      ['production', { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'production', service: 'shop-web' }],
    ]);
    const { io } = await run([
      'pipelines:create',
      'shop-jobs',
      '--provider',
      'aws-ecs',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
      '--env',
      'staging=arn:aws:ecs:eu-west-1:123456789012:cluster/staging/shop-web',
      '--release-command',
      'bin/migrate --safe',
    ]);
    expect(io.out()).toBe(
      'Created pipeline shop-jobs: staging (arn:aws:ecs:eu-west-1:123456789012:cluster/staging/shop-web) in eu-west-1.\nNext: slipway status shop-jobs\n',
    );
    expect((await run(['pipelines'])).io.out()).toMatch(/^shop\s+staging → production\s+aws-ecs$/m);
  });

  it('says who the credentials are, and lists clusters and services', async () => {
    const identity = awsIdentitySchema.parse(await json(['whoami'], { AWS_REGION: 'eu-west-1' }));
    expect(identity).toEqual({
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/slipway-demo',
      userId: 'AIDASTANDIN0000DEMO01',
      region: 'eu-west-1',
    });
    const human = await run(['whoami', '--region', 'eu-west-1']);
    expect(human.io.out()).toMatch(/^Account\s+123456789012$/m);
    expect(human.io.out()).toMatch(/^Credentials\s+default credentials$/m);

    const discovered = await run(['aws:discover', '--region', 'eu-west-1']);
    expect(discovered.code, discovered.io.err()).toBe(0);
    expect(discovered.io.out()).toMatch(/^CLUSTER\s+SERVICE\s+STATUS\s+TASK DEFINITION\s+RUNNING\s+LAUNCH$/m);
    expect(discovered.io.out()).toMatch(/^production\s+shop-web\s+ACTIVE\s+shop-web-production:1\s+2\/2\s+FARGATE$/m);
    expect(discovered.io.out()).toMatch(/^staging\s+shop-web\s+ACTIVE\s+shop-web-staging:1\s+2\/2\s+FARGATE$/m);
  });

  it('adopts services Slipway has not deployed yet: what runs is an external release', async () => {
    const status = pipelineStatusSchema.parse(await json(['status', 'shop']));
    for (const env of status.environments) {
      expect(env.current).toMatchObject({ version: 1, kind: 'external' });
      expect(env.instances.map((i) => i.state)).toEqual(['healthy', 'healthy']);
    }
    const { io } = await run(['status', 'shop']);
    expect(io.out()).toMatch(/^staging\s+v1 \(external\)\s+sha256:[0-9a-f]{12}\s/m);
    expect(io.out()).not.toContain('did not register');
  });

  it('doctor shows which environments deploy safely, and --fix turns production’s circuit breaker on', async () => {
    const report = await run(['doctor', 'shop']);
    expect(report.code, report.io.err()).toBe(0);
    expect(report.io.out()).toMatch(/^ENVIRONMENT\s+PROVIDER\s+MIN HEALTHY\s+MAX\s+CIRCUIT BREAKER\s+DEPLOYS$/m);
    expect(report.io.out()).toMatch(/^staging\s+aws-ecs\s+100%\s+200%\s+on, rolls back\s+safe$/m);
    expect(report.io.out()).toMatch(/^production\s+aws-ecs\s+100%\s+200%\s+off\s+unsafe$/m);
    expect(report.io.out()).toContain('! production: The deployment circuit breaker is off');
    expect(report.io.out()).toContain('Fix: slipway doctor shop --fix\n');
    const served = standIn.ecs.service('production', 'shop-web')?.taskDefinition;

    const fix = await run(['doctor', 'shop', '--env', 'production', '--fix']);
    expect(fix.code, fix.io.err()).toBe(0);
    expect(fix.io.err()).toContain('Making deploys to shop/production safe…');
    expect(fix.io.out()).toContain(
      'Made deploys to production safe: minimum healthy 100%, maximum 200%, circuit breaker on, rolls back.\n',
    );
    expect(fix.io.out()).toMatch(/^production\s+aws-ecs\s+100%\s+200%\s+on, rolls back\s+safe$/m);
    expect(fix.io.out()).not.toMatch(/^staging\s/m);
    expect(fix.io.out()).not.toContain('circuit breaker is off');
    const service = standIn.ecs.service('production', 'shop-web');
    expect(service?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(service?.taskDefinition).toBe(served);

    const feed = await run(['activity', 'shop', '--env', 'production']);
    expect(feed.io.out()).toMatch(
      /environment\.make-deploys-safe\s+ok\s+Made deploys to production safe: circuit breaker off → on with rollback/,
    );

    const again = (await json(['doctor', 'shop', '--fix'])) as { fixed: string[]; environments: { safe: boolean }[] };
    expect(again.fixed).toEqual([]);
    expect(again.environments.map((e) => e.safe)).toEqual([true, true]);

    const missing = await run(['doctor', 'shop', '--env', 'qa']);
    expect(missing.code).toBe(1);
    expect(missing.io.err()).toContain('error NOT_FOUND: Pipeline "shop" has no environment "qa".');
  });

  it('deploys an image tag to staging with --image, pinned by digest', async () => {
    const { code, io } = await run([
      'deploy',
      'shop',
      '--env',
      'staging',
      '--image',
      `${DEMO_IMAGE_NAME}:v1.4.0`,
      '--json',
    ]);
    expect(code, io.err()).toBe(0);
    expect(deploymentSchema.parse(JSON.parse(io.out()))).toMatchObject({ status: 'succeeded', releaseVersion: 2 });
    expect(io.err()).toContain('→ Roll out');
    expect(serving('staging')?.image).toBe(standIn.demo?.nextImage);
    // The service's own variables survive its first Slipway release.
    expect(serving('staging')?.environment).toContainEqual({ name: 'APP_ENV', value: 'staging' });

    const [release] = releaseListItemSchema.array().parse(await json(['releases', 'shop', '--env', 'staging']));
    expect(release).toMatchObject({ version: 2, kind: 'deploy', sha: DEMO_REVISIONS.next, current: true });
  });

  it('promotes staging to production: the same digest, production’s own config', async () => {
    const { code, io } = await run(['promote', 'shop', '--from', 'staging', '--to', 'production', '--yes', '--json']);
    expect(code, io.err()).toBe(0);
    expect(deploymentSchema.parse(JSON.parse(io.out()))).toMatchObject({ kind: 'promote', releaseVersion: 2 });
    const app = serving('production');
    expect(app?.image).toBe(serving('staging')?.image);
    expect(app?.environment).toEqual(
      expect.arrayContaining([
        { name: 'APP_ENV', value: 'production' },
        { name: 'LOG_LEVEL', value: 'warn' },
      ]),
    );
    expect(app?.secrets?.[0]?.valueFrom).toContain(':secret:shop/production/DATABASE_URL');

    const config = publicConfigVarSchema.array().parse(await json(['config', 'shop', '--env', 'production']));
    expect(config.find((v) => v.key === 'SHOP_URL')?.value).toBe('https://shop.example.com');
    expect(config.find((v) => v.key === 'DATABASE_URL')).toMatchObject({ secret: true });
    expect(config.find((v) => v.key === 'DATABASE_URL')?.value).toBeUndefined();
    const releases = await run(['releases', 'shop', '--env', 'production']);
    expect(releases.io.out()).toMatch(/^\*\s+v2\s+promote\s+9b8a7c6\s+succeeded\s/m);
  });

  it('rolls back to the previous release as a new one', async () => {
    const older = await run(['deploy', 'shop', '--env', 'staging', '--image', `${DEMO_IMAGE_NAME}:v1.3.0`]);
    expect(older.code, older.io.err()).toBe(0);
    expect(older.io.out()).toBe('v3 is live on shop/staging (was v2).\n');
    expect(serving('staging')?.image).toBe(standIn.demo?.runningImage);

    const { code, io } = await run(['rollback', 'shop', '--env', 'staging']);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toBe('v4 is live on shop/staging (was v3).\n');
    expect(serving('staging')?.image).toBe(standIn.demo?.nextImage);
    const releases = releaseListItemSchema.array().parse(await json(['releases', 'shop', '--env', 'staging']));
    expect(releases.map((r) => `${r.version} ${r.kind}`)).toEqual(['4 rollback', '3 deploy', '2 deploy', '1 external']);
  });

  it('deploys a bare tag from the repository the service runs', async () => {
    const { code, io } = await run(['deploy', 'shop', '--env', 'staging', '--ref', 'v1.3.0']);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toBe('v5 is live on shop/staging (was v4).\n');
    expect(io.err()).toContain(`v1.3.0 is in ${DEMO_IMAGE_NAME}, the repository container app runs now`);
    expect(serving('staging')?.image).toBe(standIn.demo?.runningImage);
  });

  it('lists instances and stops one', async () => {
    const instances = instanceSchema.array().parse(await json(['ps', 'shop', '--env', 'production']));
    expect(instances.map((i) => [i.state, i.releaseVersion])).toEqual([
      ['healthy', 2],
      ['healthy', 2],
    ]);
    const table = await run(['ps', 'shop', '--env', 'production']);
    expect(table.io.out()).toMatch(/^INSTANCE\s+STATE\s+RELEASE\s+STARTED\s+ADDRESS\s+DETAIL$/m);
    const victim = instances[0]?.id ?? '';
    expect(table.io.out()).toMatch(new RegExp(`^${victim}\\s+healthy\\s+v2\\s`, 'm'));

    const killed = await run(['ps:kill', 'shop', '--env', 'production', victim, '--reason', 'stuck on a lock']);
    expect(killed.code, killed.io.err()).toBe(0);
    expect(killed.io.out()).toBe(`Stopped ${victim} on shop/production; a replacement is starting.\n`);
    const task = [...standIn.ecs.tasks.values()].find((t) => t.taskArn?.endsWith(victim));
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: 'Stopped from Slipway: stuck on a lock' });
    const after = instanceSchema.array().parse(await json(['ps', 'shop', '--env', 'production']));
    expect(after.map((i) => i.id)).not.toContain(victim);

    const missing = await run(['ps:kill', 'shop', '--env', 'production', 'f00f00f00f00']);
    expect(missing.code).toBe(1);
    expect(missing.io.err()).toContain(
      'error NOT_FOUND: service shop-web in cluster production has no instance f00f00f00f00',
    );
  });

  it('runs a one-off command and exits with its exit code', async () => {
    const failed = await run(['run', 'shop', '--env', 'staging', '--', 'sh', '-c', 'echo checking orders; exit 3']);
    expect(failed.code).toBe(3);
    expect(failed.io.out()).toBe('checking orders\n');
    expect(failed.io.err()).toContain("Running sh -c 'echo checking orders; exit 3' on shop/staging…");
    expect(failed.io.err()).toContain('Exited with code 3.');

    const { code, io } = await run(['run', 'shop', '--env', 'staging', '--json', '--', 'echo', 'hello', '--json']);
    expect(code, io.err()).toBe(0);
    expect(runResultSchema.parse(JSON.parse(io.out()))).toEqual({ exitCode: 0, output: ['hello --json'] });
  });

  it('refuses wrong command lines with exit code 2', async () => {
    const cases: [string[], string, NodeJS.ProcessEnv?][] = [
      [
        ['deploy', 'shop', '--env', 'staging', '--ref', 'main', '--image', `${DEMO_IMAGE_NAME}:v1.4.0`],
        '--ref and --image mean the same here; give one of them.',
      ],
      [['deploy', 'shop', '--env', 'staging'], 'deploy needs --ref GITREF.'],
      [
        ['pipelines:create', 'x', '--provider', 'aws-ecs', '--region', 'eu-west-1', '--env', 'staging:staging/web'],
        '"staging:staging/web" is not ENV=CLUSTER/SERVICE.',
      ],
      [
        ['pipelines:create', 'x', '--provider', 'aws-ecs', '--region', 'eu-west-1', '--env', 'a=c/s', '--env', 'a=d/s'],
        '--env a is given twice.',
      ],
      [
        ['pipelines:create', 'x', '--provider', 'local', '--region', 'eu-west-1', '--env', 'a=c/s'],
        'pipelines:create makes aws-ecs pipelines',
      ],
      [['pipelines:create', 'x', '--provider', 'aws-ecs', '--region', 'eu-west-1'], 'pipelines:create needs --env'],
      [
        ['pipelines:create', 'x', '--provider', 'aws-ecs', '--region', 'Ireland', '--env', 'a=c/s'],
        '"Ireland" is not an AWS region',
      ],
      [['whoami'], 'whoami needs --region REGION (or AWS_REGION set in the environment).', {}],
      [['run', 'shop', '--env', 'staging'], 'run needs CMD.'],
      [['ps:kill', 'shop', '--env', 'staging'], 'ps:kill needs INSTANCE.'],
    ];
    for (const [argv, message, env] of cases) {
      const { code, io } = await run(argv, env);
      expect(code, `${argv.join(' ')}: ${io.err()}`).toBe(2);
      expect(io.err()).toContain(`error INVALID_INPUT: ${message}`);
    }
  });

  it('fails with exit 1 when ECR has no such image, and nothing changes', async () => {
    const before = serving('staging')?.image;
    const { code, io } = await run(['deploy', 'shop', '--env', 'staging', '--image', `${DEMO_IMAGE_NAME}:nope`]);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/error NOT_FOUND: .*shop:nope/);
    expect(serving('staging')?.image).toBe(before);

    const bare = await run(['deploy', 'shop', '--env', 'staging', '--ref', 'v9.9.9']);
    expect(bare.code).toBe(1);
    expect(bare.io.err()).toContain(
      'error NOT_FOUND: ECR repository shop (account 123456789012, eu-west-1) has no image tagged v9.9.9',
    );
    expect(serving('staging')?.image).toBe(before);
  });
});
