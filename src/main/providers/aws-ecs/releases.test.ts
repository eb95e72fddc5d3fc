import { RegisterTaskDefinitionCommand, type RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { READ_ONLY_FIELDS } from './task-definition.js';
import { tagMap } from './tags.js';
import {
  actor,
  DIGEST_A,
  DIGEST_B,
  deploySpec,
  ecsContext,
  IMAGE_REPO,
  SECRET_ARN,
  webTaskDefinition,
} from './testing/fixtures.js';
import { deploy } from './testing/flows.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

describe('aws-ecs releases', () => {
  const aws = withFakeCloud({ services: ['web-staging'] });
  const ctx = ecsContext();

  const registered = (): RegisterTaskDefinitionRequest => {
    const call = aws.cloud.ecs.commandCalls(RegisterTaskDefinitionCommand).at(-1);
    if (!call) throw new Error('nothing was registered');
    return call.args[0].input;
  };

  it('carries every field of the running task definition over exactly, changing only image, config and tags', async () => {
    const source = structuredClone(
      aws.cloud.taskDefinitions.get(aws.cloud.service('apps', 'web-staging')?.taskDefinition ?? '')?.td ?? {},
    );
    const image = `${IMAGE_REPO}@${DIGEST_B}`;
    await aws.provider.createRelease(ctx, {
      kind: 'deploy',
      artifact: { kind: 'images', images: { web: image } },
      config: {
        PORT: { value: '8080', secret: false },
        LOG_LEVEL: { value: 'debug', secret: false },
        DATABASE_URL: { value: SECRET_ARN, secret: true },
      },
      actor,
      description: 'Deploy 1a2b3c4',
    });
    const input = registered();

    for (const key of Object.keys(source) as (keyof typeof source)[]) {
      if ((READ_ONLY_FIELDS as readonly string[]).includes(key)) {
        expect(input, `read-only ${key} is stripped`).not.toHaveProperty(key);
      } else if (key !== 'containerDefinitions') {
        expect(input[key as keyof RegisterTaskDefinitionRequest], `field ${key}`).toEqual(source[key]);
      }
    }
    const [web, sidecar] = input.containerDefinitions ?? [];
    const [sourceWeb, sourceSidecar] = source.containerDefinitions ?? [];
    expect(sidecar).toEqual(sourceSidecar);
    for (const key of Object.keys(sourceWeb ?? {}) as (keyof NonNullable<typeof sourceWeb>)[]) {
      if (key === 'image' || key === 'environment') continue;
      expect(web?.[key], `container field ${key}`).toEqual(sourceWeb?.[key]);
    }
    expect(web?.image).toBe(image);
    expect(web?.environment).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
    expect(Object.keys(web ?? {}).sort()).toEqual(Object.keys(sourceWeb ?? {}).sort());
  });

  it('carries the rarer fields over too: EC2 and proxy settings, and every container field', async () => {
    const everything = webTaskDefinition('web-ec2');
    Object.assign(everything, {
      requiresCompatibilities: ['EC2'],
      ipcMode: 'task',
      pidMode: 'task',
      enableFaultInjection: true,
      inferenceAccelerators: [{ deviceName: 'device1', deviceType: 'eia2.medium' }],
      proxyConfiguration: {
        type: 'APPMESH',
        containerName: 'envoy',
        properties: [{ name: 'ProxyIngressPort', value: '15000' }],
      },
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }],
      volumes: [
        { name: 'scratch', host: {} },
        { name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED' } },
      ],
    });
    const web = everything.containerDefinitions?.[0];
    Object.assign(web ?? {}, {
      systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
      restartPolicy: { enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 180 },
      credentialSpecs: ['credentialspec:arn:aws:s3:::bucket/spec.json'],
      repositoryCredentials: { credentialsParameter: SECRET_ARN },
      resourceRequirements: [{ type: 'GPU', value: '1' }],
      firelensConfiguration: undefined,
      linuxParameters: { initProcessEnabled: true, capabilities: { add: ['SYS_PTRACE'] }, sharedMemorySize: 64 },
      extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.9' }],
      dockerSecurityOptions: ['no-new-privileges'],
      readonlyRootFilesystem: true,
      user: '1000:1000',
      workingDirectory: '/app',
      entryPoint: ['/sbin/tini', '--'],
      command: ['bin/web'],
      startTimeout: 120,
      versionConsistency: 'disabled',
      environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::bucket/web.env' }],
    });
    everything.containerDefinitions?.push({
      name: 'log_router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
      essential: true,
      firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
    });
    aws.cloud.addService('apps', 'web-ec2', everything, { launchType: 'EC2' });
    const ec2 = ecsContext({ service: 'web-ec2' });
    const source = structuredClone(
      aws.cloud.taskDefinitions.get(aws.cloud.service('apps', 'web-ec2')?.taskDefinition ?? '')?.td,
    );
    const image = `${IMAGE_REPO}@${DIGEST_B}`;
    // The core passes the serving release's config on: here the revision the service ran before Slipway.
    const running = await aws.provider.currentRelease(ec2);
    expect(running?.kind).toBe('external');
    const config = { ...running?.config, PORT: { value: '8080', secret: false } };
    await aws.provider.createRelease(ec2, {
      kind: 'deploy',
      artifact: { kind: 'images', images: { web: image } },
      config,
      actor,
      description: 'x',
    });

    const { tags: _tags, ...input } = registered();
    const expected: Record<string, unknown> = { ...source };
    for (const key of READ_ONLY_FIELDS) delete expected[key];
    const [sourceWeb, ...others] = source?.containerDefinitions ?? [];
    expected.containerDefinitions = [
      {
        ...sourceWeb,
        image,
        environment: [
          { name: 'PORT', value: '8080' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        secrets: sourceWeb?.secrets,
      },
      ...others,
    ];
    expect(input).toEqual(expected);
  });

  it('numbers releases per environment, tags them and reads config with secrets as references', async () => {
    const first = await aws.provider.createRelease(ctx, {
      kind: 'deploy',
      artifact: { kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
      sha: '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d',
      config: {
        DATABASE_URL: { value: SECRET_ARN, secret: true },
        NOTE: { value: 'fix (#12), "quoted"', secret: false },
      },
      actor,
      description: 'Deploy 1a2b3c4: fix checkout (#12) — "quoted" & more',
    });
    // The release number is the revision ECS gave; revision 1 is what the service ran before Slipway.
    expect(first.version).toBe(2);
    expect(aws.cloud.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
    expect(first.status).toBe('pending');
    expect(first.config.DATABASE_URL).toEqual({ value: SECRET_ARN, secret: true });
    expect(first.description).toBe('Deploy 1a2b3c4: fix checkout (#12) — "quoted" & more');

    const tags = tagMap(registered().tags);
    expect(tags.has('slipway:version')).toBe(false);
    expect(tags.get('slipway:environment')).toBe('shop/staging');
    expect(tags.get('cost-center')).toBe('payments');
    // Every raw value fits ECS's tag rules.
    for (const tag of registered().tags ?? []) expect(tag.value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u);

    const second = await aws.provider.createRelease(ctx, { ...first, kind: 'config', description: 'Set NOTE' });
    expect(second.version).toBe(3);
    const listed = await aws.provider.listReleases(ctx);
    expect(listed.map((r) => [r.version, r.kind])).toEqual([
      [3, 'config'],
      [2, 'deploy'],
      [1, 'external'],
    ]);
    expect(listed[2]?.description).toBe('Registered outside Slipway');
    // An older page is read by revision number, without listing the family.
    expect((await aws.provider.listReleases(ctx, { before: 3, limit: 5 })).map((r) => r.version)).toEqual([2, 1]);
  });

  it('registers within ECS tag rules: no reserved aws: keys, long texts shortened, room kept for later marks', async () => {
    const base = aws.cloud.taskDefinitions.get(aws.cloud.service('apps', 'web-staging')?.taskDefinition ?? '');
    base?.tags.push({ key: 'aws:servicecatalog:productArn', value: 'arn:aws:catalog:eu-west-1:1:product/prod-x' });
    const long = 'x'.repeat(600);
    const release = await aws.provider.createRelease(ctx, {
      kind: 'deploy',
      artifact: { kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
      config: {},
      actor,
      description: `Deploy: ${long}`,
      noRollback: { reason: `drops a column ${long}`, actor, at: new Date().toISOString() },
    });
    const tags = tagMap(registered().tags);
    expect([...tags.keys()].filter((key) => key.startsWith('aws:'))).toEqual([]);
    expect(tags.get('cost-center')).toBe('payments');
    expect(release.description.startsWith('Deploy: xxx')).toBe(true);
    // A failure reason added later still fits on the same revision.
    const failed = await aws.provider.setReleaseStatus(ctx, release.version, 'failed', `boom ${long}`);
    expect(failed.failure?.startsWith('boom x')).toBe(true);
  });

  it('says which tags to remove when the definition carries too many of its own for Slipway’s', async () => {
    const base = aws.cloud.taskDefinitions.get(aws.cloud.service('apps', 'web-staging')?.taskDefinition ?? '');
    for (let i = 0; i < 40; i++) base?.tags.push({ key: `team:${i}`, value: 'x' });
    const error = await aws.provider.createRelease(ctx, deploySpec).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
    expect((error as Error).message).toMatch(/41 tags of its own.*50.*Remove at least 5 tags/);
    expect(aws.cloud.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('promotes each build container’s digest and keeps the target’s own variables, secrets and sidecars', async () => {
    const withWorker = (family: string, digest: string, env: string, secret: string) => {
      const td = webTaskDefinition(family);
      const [web, datadog] = td.containerDefinitions ?? [];
      if (!web || !datadog) throw new Error('fixture changed');
      web.image = `${IMAGE_REPO}@${digest}`;
      web.environment = [{ name: 'APP_ENV', value: env }];
      web.secrets = [{ name: 'DATABASE_URL', valueFrom: secret }];
      datadog.image = `public.ecr.aws/datadog/agent:${env === 'staging' ? '7.51.0' : '7.50.0'}`;
      const worker = { ...structuredClone(web), name: 'worker', command: ['bin/worker'], portMappings: [] };
      td.containerDefinitions = [web, worker, datadog];
      return td;
    };
    const prodSecret = SECRET_ARN.replace('web/', 'web-prod/');
    aws.cloud.addService('apps', 'web-staging', withWorker('web-staging', DIGEST_B, 'staging', SECRET_ARN));
    aws.cloud.addService('apps', 'web-production', withWorker('web-production', DIGEST_A, 'production', prodSecret));
    const prod = ecsContext({ environment: 'production' });

    const staged = (await aws.provider.listReleases(ctx))[0];
    const source = await aws.provider.createRelease(ctx, {
      kind: 'deploy',
      artifact: { kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}`, worker: `${IMAGE_REPO}@${DIGEST_B}` } },
      config: staged?.config ?? {},
      actor,
      description: 'Deploy',
    });
    const target = await aws.provider.createRelease(prod, {
      kind: 'promote',
      artifact: source.artifact,
      config: (await aws.provider.currentRelease(prod))?.config ?? {},
      actor,
      description: 'Promote staging',
      source: { environment: 'staging', version: source.version },
    });
    const [web, worker, datadog] = registered().containerDefinitions ?? [];
    expect(web?.image).toBe(`${IMAGE_REPO}@${DIGEST_B}`);
    expect(worker?.image).toBe(`${IMAGE_REPO}@${DIGEST_B}`);
    expect(datadog?.image).toBe('public.ecr.aws/datadog/agent:7.50.0');
    expect(web?.environment).toEqual([{ name: 'APP_ENV', value: 'production' }]);
    expect(web?.secrets).toEqual([{ name: 'DATABASE_URL', valueFrom: prodSecret }]);
    expect(worker?.environment).toEqual([{ name: 'APP_ENV', value: 'production' }]);
    expect(target.artifact).toEqual(source.artifact);
  });

  it('refuses a secret given as a value instead of a reference', async () => {
    const error = await aws.provider
      .createRelease(ctx, {
        kind: 'config',
        artifact: { kind: 'images', images: { web: 'x@sha256:1' } },
        config: { TOKEN: { value: 'hunter2', secret: true } },
        actor,
        description: 'Set TOKEN',
      })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(aws.cloud.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('rolls back by copying the old revision whole, as a new release', async () => {
    const spec = { ...deploySpec, config: { A: { value: '1', secret: false } }, description: 'v1' };
    const v1 = await deploy(aws.provider, ctx, spec);
    const v1Input = registered();
    await deploy(aws.provider, ctx, { ...spec, config: { A: { value: '2', secret: false } }, description: 'v2' });

    const v3 = await aws.provider.createRelease(ctx, {
      ...spec,
      kind: 'rollback',
      config: v1.config,
      source: { environment: 'staging', version: v1.version },
      description: 'Rollback to v1',
    });
    expect(v3.version).toBe(v1.version + 2);
    expect(v3.config).toEqual(v1.config);
    expect(v3.source).toEqual({ environment: 'staging', version: v1.version });
    const { tags: _a, ...v3Body } = registered();
    const { tags: _b, ...v1Body } = v1Input;
    expect(v3Body).toEqual(v1Body);
  });

  it('keeps environments that share a family apart', async () => {
    aws.cloud.addService('apps', 'web-production', webTaskDefinition('web-staging'));
    const prod = ecsContext({ environment: 'production' });
    await aws.provider.createRelease(ctx, deploySpec);
    await aws.provider.createRelease(ctx, deploySpec);
    const p1 = await aws.provider.createRelease(prod, deploySpec);
    // One numbering per family: production's first release is revision 5, and neither environment
    // lists the other's; revisions 1 and 2, registered outside Slipway, belong to both.
    expect(p1.version).toBe(5);
    expect((await aws.provider.listReleases(prod)).map((r) => r.version)).toEqual([5, 2, 1]);
    expect((await aws.provider.listReleases(ctx)).map((r) => r.version)).toEqual([4, 3, 2, 1]);
  });
});
