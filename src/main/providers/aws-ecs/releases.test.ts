import { RegisterTaskDefinitionCommand, type RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { createAwsEcsProvider, type AwsEcsProvider } from './provider.js';
import { READ_ONLY_FIELDS } from './task-definition.js';
import { tagMap } from './tags.js';
import { FakeEcs } from './testing/fake-ecs.js';
import {
  actor,
  DIGEST_B,
  ecsContext,
  fastPolling,
  IMAGE_REPO,
  recorder,
  SECRET_ARN,
  webTaskDefinition,
} from './testing/fixtures.js';

describe('aws-ecs releases', () => {
  let cloud: FakeEcs;
  let provider: AwsEcsProvider;
  const ctx = ecsContext();

  beforeEach(() => {
    cloud = new FakeEcs();
    cloud.addService('apps', 'web-staging', webTaskDefinition());
    provider = createAwsEcsProvider(fastPolling);
  });
  afterEach(async () => {
    await provider.dispose();
    cloud.restore();
  });

  const registered = (): RegisterTaskDefinitionRequest => {
    const call = cloud.ecs.commandCalls(RegisterTaskDefinitionCommand).at(-1);
    if (!call) throw new Error('nothing was registered');
    return call.args[0].input;
  };

  it('carries every field of the running task definition over exactly, changing only image, config and tags', async () => {
    const source = structuredClone(
      cloud.taskDefinitions.get(cloud.service('apps', 'web-staging')?.taskDefinition ?? '')?.td ?? {},
    );
    const image = `${IMAGE_REPO}@${DIGEST_B}`;
    await provider.createRelease(ctx, {
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

  it('numbers releases per environment, tags them and reads config with secrets as references', async () => {
    const first = await provider.createRelease(ctx, {
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
    expect(first.version).toBe(1);
    expect(first.status).toBe('pending');
    expect(first.config.DATABASE_URL).toEqual({ value: SECRET_ARN, secret: true });
    expect(first.description).toBe('Deploy 1a2b3c4: fix checkout (#12) — "quoted" & more');

    const tags = tagMap(registered().tags);
    expect(tags.get('slipway:version')).toBe('v1');
    expect(tags.get('slipway:environment')).toBe('shop/staging');
    expect(tags.get('cost-center')).toBe('payments');
    // Every raw value fits ECS's tag rules.
    for (const tag of registered().tags ?? []) expect(tag.value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u);

    const second = await provider.createRelease(ctx, { ...first, kind: 'config', description: 'Set NOTE' });
    expect(second.version).toBe(2);
    expect((await provider.listReleases(ctx)).map((r) => r.version)).toEqual([2, 1]);
  });

  it('refuses a secret given as a value instead of a reference', async () => {
    const error = await provider
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
    expect(cloud.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('rolls back by copying the old revision whole, as a new release', async () => {
    const spec = {
      kind: 'deploy' as const,
      artifact: { kind: 'images' as const, images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
      config: { A: { value: '1', secret: false } },
      actor,
      description: 'v1',
    };
    const v1 = await provider.createRelease(ctx, spec);
    await provider.rollout(ctx, v1, recorder(), new AbortController().signal);
    await provider.setReleaseStatus(ctx, v1.version, 'succeeded');
    const v1Input = registered();
    const v2 = await provider.createRelease(ctx, {
      ...spec,
      config: { A: { value: '2', secret: false } },
      description: 'v2',
    });
    await provider.rollout(ctx, v2, recorder(), new AbortController().signal);
    await provider.setReleaseStatus(ctx, v2.version, 'succeeded');

    const v3 = await provider.createRelease(ctx, {
      ...spec,
      kind: 'rollback',
      config: v1.config,
      source: { environment: 'staging', version: 1 },
      description: 'Rollback to v1',
    });
    expect(v3.version).toBe(3);
    expect(v3.config).toEqual(v1.config);
    expect(v3.source).toEqual({ environment: 'staging', version: 1 });
    const { tags: _a, ...v3Body } = registered();
    const { tags: _b, ...v1Body } = v1Input;
    expect(v3Body).toEqual(v1Body);
  });

  it('keeps environments that share a family apart', async () => {
    cloud.addService('apps', 'web-production', webTaskDefinition('web-staging'));
    const prod = ecsContext({ environment: 'production' });
    const spec = {
      kind: 'deploy' as const,
      artifact: { kind: 'images' as const, images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
      config: {},
      actor,
      description: 'x',
    };
    await provider.createRelease(ctx, spec);
    await provider.createRelease(ctx, spec);
    const p1 = await provider.createRelease(prod, spec);
    expect(p1.version).toBe(1);
    expect((await provider.listReleases(prod)).map((r) => r.version)).toEqual([1]);
    expect((await provider.listReleases(ctx)).map((r) => r.version)).toEqual([2, 1]);
  });
});
