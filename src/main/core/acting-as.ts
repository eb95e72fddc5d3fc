// Who acts on an environment: the person (OS user, git email), and on a cloud environment the
// identity its calls are made as (AWS: the STS caller), which is who the cloud account's own logs name.
import type { Actor } from '../../shared/model.js';
import type { CoreDeps, ResolvedEnvironment } from './core-deps.js';

export async function actorFor(deps: CoreDeps, { ctx, provider }: ResolvedEnvironment): Promise<Actor> {
  const actor = await deps.actor();
  const identity = provider.capabilities.identity;
  if (!identity) return actor;
  try {
    const { account, arn } = await identity.caller(ctx);
    return { ...actor, cloud: { account, arn } };
  } catch (error) {
    // The action's own calls report a credentials problem clearly; the audit keeps the person.
    deps.log(`could not tell which cloud identity acts on ${ctx.pipeline.name}/${ctx.environment.name}`, error);
    return actor;
  }
}
