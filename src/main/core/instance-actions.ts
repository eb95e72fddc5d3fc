// Instances and one-off commands, for providers that offer them; an ECS service's deployment settings;
// AWS account look-ups.
import type {
  AwsIdentity,
  DeploymentSafety,
  DiscoveredCluster,
  MadeDeploysSafe,
  ProcedureArgs,
  RunResult,
} from '../../shared/contract/index.js';
import { AppError, isAppError, toWire } from '../../shared/errors.js';
import type { Instance } from '../../shared/model.js';
import type { CloudAccount } from '../providers/capabilities.js';
import type { Provider } from '../providers/provider.js';
import { resolveEnvironment, type CoreDeps } from './core-deps.js';
import { actorFor } from './acting-as.js';
import { appendAudit } from './release-runner.js';
import { environmentEvent } from './audit-event.js';

function unsupported(provider: Provider, environment: string, what: string): AppError {
  return new AppError('INVALID_INPUT', `${environment} runs on the ${provider.kind} provider, which cannot ${what}.`);
}

export async function listInstances(deps: CoreDeps, args: ProcedureArgs<'instances.list'>): Promise<Instance[]> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const control = provider.capabilities.instances;
  if (!control) throw unsupported(provider, args.environment, 'list its instances');
  return control.list(ctx);
}

export async function killInstance(
  deps: CoreDeps,
  args: ProcedureArgs<'instances.kill'>,
): Promise<{ instance: string }> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const kill = provider.capabilities.instances?.kill;
  if (!kill) throw unsupported(provider, args.environment, 'stop a single instance');
  await kill(ctx, args.instance, args.reason);
  return { instance: args.instance };
}

export async function runOneOff(deps: CoreDeps, args: ProcedureArgs<'run'>): Promise<RunResult> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const run = provider.capabilities.instances?.run;
  if (!run) throw unsupported(provider, args.environment, 'run one-off commands');
  return run(ctx, args.command);
}

/** "minimum healthy 50% → 100%, circuit breaker on with rollback": only what changed. */
function describeChange(before: DeploymentSafety, after: DeploymentSafety): string {
  const parts: string[] = [];
  if (before.minimumHealthyPercent !== after.minimumHealthyPercent)
    parts.push(`minimum healthy ${before.minimumHealthyPercent}% → ${after.minimumHealthyPercent}%`);
  if (before.maximumPercent !== after.maximumPercent)
    parts.push(`maximum ${before.maximumPercent}% → ${after.maximumPercent}%`);
  const breaker = (s: DeploymentSafety): string =>
    s.circuitBreaker.enable ? (s.circuitBreaker.rollback ? 'on with rollback' : 'on without rollback') : 'off';
  if (breaker(before) !== breaker(after)) parts.push(`circuit breaker ${breaker(before)} → ${breaker(after)}`);
  return parts.join(', ');
}

/**
 * Zero-downtime rollouts with automatic rollback on an ECS service. Only the deployment settings
 * change; the service keeps running what it runs. The local provider always deploys that way.
 */
export async function makeDeploysSafe(
  deps: CoreDeps,
  args: ProcedureArgs<'environments.makeDeploysSafe'>,
): Promise<MadeDeploysSafe> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const safety = provider.capabilities.deploySafety;
  if (!safety) {
    throw new AppError(
      'INVALID_INPUT',
      `${args.environment} runs on the ${provider.kind} provider, which always starts new instances and waits for them to be healthy before stopping old ones; it has no deployment settings to change.`,
    );
  }
  const actor = await actorFor(deps, { ctx, provider });
  const event = environmentEvent(actor, 'environment.make-deploys-safe', args);
  try {
    const { before, after, changed } = await safety.makeSafe(ctx);
    if (changed) {
      await appendAudit(
        deps,
        event('succeeded', `Made deploys to ${args.environment} safe: ${describeChange(before, after)}`),
      );
    }
    return { ...after, changed };
  } catch (error) {
    // A refusal changed nothing and is not worth a feed entry; a failed attempt at the service is.
    if (!(isAppError(error) && (error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND'))) {
      const wire = toWire(error);
      await appendAudit(
        deps,
        event('failed', `Making deploys to ${args.environment} safe failed: ${wire.message}`, wire.code),
      );
    }
    throw error;
  }
}

async function aws(deps: CoreDeps): Promise<CloudAccount> {
  const account = (await deps.providers.get('aws-ecs')).capabilities.account;
  if (!account) throw new AppError('INTERNAL', 'The AWS provider offers no account look-ups.');
  return account;
}

export async function awsWhoami(deps: CoreDeps, args: ProcedureArgs<'aws.whoami'>): Promise<AwsIdentity> {
  return (await aws(deps)).whoami(args);
}

export async function awsDiscover(
  deps: CoreDeps,
  args: ProcedureArgs<'aws.discover'>,
): Promise<{ clusters: DiscoveredCluster[] }> {
  return { clusters: await (await aws(deps)).discover(args) };
}
