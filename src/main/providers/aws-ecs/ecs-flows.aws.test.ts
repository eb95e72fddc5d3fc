// The built `bin/slipway` against the AWS emulator, holding a team's app that Slipway did not create:
// adoption, deploy by tag and by digest, promote, rollback to a Slipway and to an external revision,
// config with secret references, and the AWS calls each cold command makes, counted on the wire.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineStatusSchema, releaseListItemSchema } from '../../../shared/contract/index.js';
import { deploymentSchema } from '../../../shared/model.js';
import { formatOperations, measureCallFloors, pollsOf, type Measured } from './testing/call-floors.js';
import { startCountingProxy, type CountingProxy } from './testing/counting-proxy.js';
import { createEmulatorApp, REGION, type EmulatorApp } from './testing/emulator-app.js';
import { ecsDetailsOf } from '../../../shared/provider-details.js';
import { cli, slipway, type Ran } from './testing/slipway-cli.js';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:5555';

let proxy: CountingProxy;
let app: EmulatorApp;
let home: string;
const ecs = new ECSClient({ region: REGION, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

const cmd = async (...args: string[]): Promise<Ran> => {
  const ran = await slipway(home, proxy.url, args);
  if (ran.code !== 0) throw new Error(`slipway ${args.join(' ')} exited ${ran.code}: ${ran.stderr}`);
  return ran;
};
const json = async (...args: string[]): Promise<unknown> => JSON.parse((await cmd(...args, '--json')).stdout);

/** The web container of the revision a service runs now, read straight from the emulator. */
async function serving(env: 'staging' | 'production') {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: app.cluster, services: [`web-${env}`] }));
  const arn = out.services?.[0]?.taskDefinition ?? '';
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition;
  return { arn, td, web: td?.containerDefinitions?.find((c) => c.name === 'web') };
}

beforeAll(async () => {
  proxy = await startCountingProxy(endpoint);
  app = await createEmulatorApp(endpoint);
  home = await mkdtemp(join(tmpdir(), 'slipway-ecs-aws-'));
  await cmd(...app.createArgs);
});

afterAll(async () => {
  await proxy.close();
  ecs.destroy();
  await rm(home, { recursive: true, force: true });
});

describe('slipway on ECS, against the AWS emulator', () => {
  it('adopts services it did not create: each environment shows what it runs as an external release', async () => {
    const status = pipelineStatusSchema.parse(await json('status', app.pipeline));
    for (const env of status.environments) {
      expect(env.current).toMatchObject({ version: 1, kind: 'external', sha: app.commits['v1.0.0'] });
      expect(env.warnings.join(' ')).not.toContain('did not register');
    }
    expect(ecsDetailsOf(status.environments[1]?.details)?.image).toBe(`${app.imageName}@${app.digests['v1.0.0']}`);
    const table = (await cmd('status', app.pipeline)).stdout;
    expect(table).toMatch(/^production\s+v1 \(external\)\s+sha256:[0-9a-f]{12}\s+[0-9a-f]{7}\s/m);

    const releases = releaseListItemSchema.array().parse(await json('releases', app.pipeline, '--env', 'production'));
    expect(releases).toMatchObject([
      { version: 1, kind: 'external', current: true, description: 'Registered outside Slipway' },
    ]);
    expect(releases[0]?.config.map((v) => v.key).sort()).toEqual(['APP_ENV', 'DATABASE_URL', 'GIT_SHA', 'LOG_LEVEL']);
  });

  it('deploys by tag, pinned by digest, keeping the service’s variables, secrets and settings', async () => {
    const ran = await cmd('deploy', app.pipeline, '--env', 'staging', '--image', `${app.imageName}:v1.1.0`, '--json');
    expect(deploymentSchema.parse(JSON.parse(ran.stdout))).toMatchObject({ status: 'succeeded', releaseVersion: 2 });
    const { web, td } = await serving('staging');
    expect(web?.image).toBe(`${app.imageName}@${app.digests['v1.1.0']}`);
    expect(web?.environment).toContainEqual({ name: 'APP_ENV', value: 'staging' });
    expect(web?.secrets?.[0]?.valueFrom).toContain(`parameter/web-${app.suffix}/staging/DATABASE_URL`);
    expect(web?.healthCheck?.command).toContain('curl -f http://localhost:8080/health || exit 1');
    expect(web?.logConfiguration?.logDriver).toBe('awslogs');
    expect(web?.stopTimeout).toBe(25);
    expect(td?.taskRoleArn).toContain('role/web-staging-task');
    expect(td?.revision).toBe(2);
  });

  it('deploys by digest', async () => {
    const image = `${app.imageName}@${app.digests['v1.2.0']}`;
    const ran = await cmd('deploy', app.pipeline, '--env', 'staging', '--image', image, '--json');
    expect(deploymentSchema.parse(JSON.parse(ran.stdout))).toMatchObject({ releaseVersion: 3 });
    expect((await serving('staging')).web?.image).toBe(image);
  });

  it('promotes staging to production: the same digest with production’s own config', async () => {
    const ran = await cmd('promote', app.pipeline, '--from', 'staging', '--to', 'production', '--yes', '--json');
    expect(deploymentSchema.parse(JSON.parse(ran.stdout))).toMatchObject({ kind: 'promote', releaseVersion: 2 });
    const { web } = await serving('production');
    expect(web?.image).toBe(`${app.imageName}@${app.digests['v1.2.0']}`);
    expect(web?.environment).toContainEqual({ name: 'APP_ENV', value: 'production' });
    expect(web?.secrets?.[0]?.valueFrom).toContain('/production/DATABASE_URL');
  });

  it('sets config with a secret reference, and rolls back to a Slipway release and to the external one', async () => {
    const ssm = `arn:aws:ssm:${REGION}:123456789012:parameter/web-${app.suffix}/production/API_TOKEN`;
    await cmd('config:set', app.pipeline, '--env', 'production', 'FEATURE_X=on');
    await cmd('config:set', app.pipeline, '--env', 'production', '--secret', `API_TOKEN=${ssm}`);
    let { web } = await serving('production');
    expect(web?.secrets).toContainEqual({ name: 'API_TOKEN', valueFrom: ssm });
    expect(web?.environment).toContainEqual({ name: 'FEATURE_X', value: 'on' });

    const back = await cmd('rollback', app.pipeline, '--env', 'production');
    expect(back.stdout).toBe(`v5 is live on ${app.pipeline}/production (was v4).\n`);
    ({ web } = await serving('production'));
    expect(web?.secrets?.map((s) => s.name)).toEqual(['DATABASE_URL']);

    await cmd('rollback', app.pipeline, '--env', 'production', '--to', 'v1');
    ({ web } = await serving('production'));
    expect(web?.image).toBe(`${app.imageName}@${app.digests['v1.0.0']}`);
    const releases = releaseListItemSchema.array().parse(await json('releases', app.pipeline, '--env', 'production'));
    expect(releases.map((r) => `v${r.version} ${r.kind}${r.current ? ' *' : ''}`)).toEqual([
      'v6 rollback *',
      'v5 rollback',
      'v4 config',
      'v3 config',
      'v2 promote',
      'v1 external',
    ]);
  });
});

describe('AWS calls of a cold slipway command, counted on the wire', () => {
  it('do not grow with history: the same at 5 and at 200 revisions, within the floors', async () => {
    const [five, many] = [await measureCallFloors(cli, endpoint, 5), await measureCallFloors(cli, endpoint, 200)];
    // The newest page of history holds 20 revisions at most, so only `releases` may differ: 5 are all there is.
    const figures = (ms: Measured[]) =>
      ms.filter((m) => m.command !== 'releases').map((m) => `${m.command}: ${formatOperations(m)}`);
    expect(figures(many)).toEqual(figures(five));
    expect(many.find((m) => m.command === 'releases')?.total).toBeLessThanOrEqual(22);
    const of = (command: string) => five.find((m) => m.command === command) as Measured;
    // Two services in one cluster: one DescribeServices, a ListTasks each, one DescribeTaskDefinition per
    // running revision (the emulator lists no tasks, so no DescribeTasks).
    expect(of('status').byOperation).toEqual({
      'ecs:DescribeServices': 1,
      'ecs:ListTasks': 2,
      'ecs:DescribeTaskDefinition': 2,
    });
    expect(of('releases').total).toBeLessThanOrEqual(22);
    for (const command of ['deploy --image', 'promote', 'config:set', 'rollback']) {
      const m = of(command);
      expect(m.total - pollsOf(m), `${command}: ${formatOperations(m)}`).toBeLessThanOrEqual(7);
      // Every service is counted: the STS caller, asked once, is in the figure.
      expect(m.byOperation['sts:GetCallerIdentity'], command).toBe(1);
      // The service is read once before the rollout, however the command began.
      expect(m.byOperation['ecs:DescribeServices'] ?? 0, command).toBe(1 + pollsOf(m));
    }
    // One ECR call pins the tag and reads the commit.
    expect(of('deploy --image').byOperation['ecr:BatchGetImage']).toBe(1);
    expect(Object.keys(of('deploy --image').byOperation).filter((op) => op.startsWith('ecr:'))).toHaveLength(1);
  });
});

describe('deploys from two processes at once', () => {
  it('both end correctly, one after the other: the second waits its turn and builds on the first', async () => {
    const two = await Promise.all([
      slipway(home, proxy.url, ['config:set', app.pipeline, '--env', 'staging', 'FIRST=1', '--json']),
      slipway(home, proxy.url, ['config:set', app.pipeline, '--env', 'staging', 'SECOND=2', '--json']),
    ]);
    for (const ran of two) expect(ran.code, ran.stderr).toBe(0);
    const versions = two.map((ran) => deploymentSchema.parse(JSON.parse(ran.stdout)).releaseVersion ?? 0);
    // Distinct numbers from ECS, one rollout after the other, and the later one kept the earlier change.
    expect(new Set(versions).size).toBe(2);
    const { web, td } = await serving('staging');
    expect(td?.revision).toBe(Math.max(...versions));
    expect(web?.environment).toEqual(
      expect.arrayContaining([
        { name: 'FIRST', value: '1' },
        { name: 'SECOND', value: '2' },
      ]),
    );
  });
});

describe('an operation the endpoint lacks', () => {
  it('is asked once, without retries, then never again in the process (ListServiceDeployments)', async () => {
    const { createRuntime } = await import('./runtime.js');
    const { findActiveDeploymentArn } = await import('./deployment-watch.js');
    const previous = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = proxy.url;
    const rt = createRuntime({});
    try {
      const session = () => rt.session({ region: REGION });
      const target = { provider: 'aws-ecs', region: REGION, cluster: app.cluster, service: 'web-staging' } as const;
      proxy.reset();
      expect(await findActiveDeploymentArn(session(), target)).toBeUndefined();
      expect(proxy.counts()).toEqual({ 'ecs:ListServiceDeployments': 1 });
      expect(await findActiveDeploymentArn(session(), target)).toBeUndefined();
      expect(proxy.counts()).toEqual({ 'ecs:ListServiceDeployments': 1 });
    } finally {
      rt.pool.dispose();
      process.env.AWS_ENDPOINT_URL = previous;
    }
  });
});
