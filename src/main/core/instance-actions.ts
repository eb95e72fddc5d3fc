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
  const event = environmentEvent(await actorFor(deps, { ctx, provider }), 'instance.stop', args);
  const reason = args.reason ? ` (${args.reason})` : '';
  try {
    await kill(ctx, args.instance, args.reason);
  } catch (error) {
    await recordFailure(deps, event, `Stopping instance ${args.instance} in ${args.environment} failed`, error);
    throw error;
  }
  await appendAudit(deps, event('succeeded', `Stopped instance ${args.instance} in ${args.environment}${reason}`));
  return { instance: args.instance };
}

/** A refusal changed nothing and is not worth a feed entry; a failed attempt at the cloud is. */
async function recordFailure(
  deps: CoreDeps,
  event: ReturnType<typeof environmentEvent>,
  what: string,
  error: unknown,
): Promise<void> {
  if (isAppError(error) && (error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND')) return;
  const wire = toWire(error);
  await appendAudit(deps, event('failed', `${what}: ${wire.message}`, wire.code));
}

export async function runOneOff(deps: CoreDeps, args: ProcedureArgs<'run'>): Promise<RunResult> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  const run = provider.capabilities.instances?.run;
  if (!run) throw unsupported(provider, args.environment, 'run one-off commands');
  const event = environmentEvent(await actorFor(deps, { ctx, provider }), 'task.run', args);
  // The command as typed is what a teammate needs to see; config values never pass through here.
  const command = args.command.join(' ');
  let result: RunResult;
  try {
    result = await run(ctx, args.command);
  } catch (error) {
    await recordFailure(deps, event, `Running \`${command}\` in ${args.environment} failed`, error);
    throw error;
  }
  await appendAudit(
    deps,
    event(
      result.exitCode === 0 ? 'succeeded' : 'failed',
      `Ran \`${command}\` in ${args.environment}: exit code ${result.exitCode}`,
    ),
  );
  return result;
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
    await recordFailure(deps, event, `Making deploys to ${args.environment} safe failed`, error);
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
