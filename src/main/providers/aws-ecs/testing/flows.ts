// The release flows the core runs (deploy, promote, roll back), reduced to the provider calls they
// make, for tests and benchmarks that need an environment with history or count a flow's ECS calls.
import type { Release } from '../../../../shared/model.js';
import type { EnvironmentContext, ReleaseSpec } from '../../provider.js';
import type { AwsEcsProvider } from '../provider.js';
import { actor, deploySpec, recorder } from './fixtures.js';

const running = (): AbortSignal => new AbortController().signal;

/** Creates a release, rolls it out and marks it succeeded. */
export async function deploy(
  provider: AwsEcsProvider,
  ctx: EnvironmentContext,
  spec: ReleaseSpec = deploySpec,
): Promise<Release> {
  const release = await provider.createRelease(ctx, spec);
  await provider.rollout(ctx, release, recorder(), running());
  return provider.setReleaseStatus(ctx, release.version, 'succeeded');
}

/** Promotes `source` (a release of another environment) into `ctx` and rolls it out; the caller marks the outcome. */
export async function promote(
  provider: AwsEcsProvider,
  ctx: EnvironmentContext,
  source: { environment: string; release: Release },
): Promise<Release> {
  const release = await provider.createRelease(ctx, {
    ...deploySpec,
    kind: 'promote',
    artifact: source.release.artifact,
    description: `Promote ${source.environment} v${source.release.version}`,
    source: { environment: source.environment, version: source.release.version },
  });
  await provider.rollout(ctx, release, recorder(), running());
  return release;
}

/** Rolls `ctx` back to `version` as a new release copying its artifact and config, and rolls it out. */
export async function rollBack(provider: AwsEcsProvider, ctx: EnvironmentContext, version: number): Promise<Release> {
  const old = await provider.getRelease(ctx, version);
  if (!old) throw new Error(`v${version} is missing`);
  const release = await provider.createRelease(ctx, {
    ...old,
    kind: 'rollback',
    actor,
    description: `Rollback to v${version}`,
    source: { environment: ctx.environment.name, version },
  });
  await provider.rollout(ctx, release, recorder(), running());
  return release;
}
