// Instances and one-off commands, for providers that offer them; AWS account look-ups.
import type { AwsIdentity, DiscoveredCluster, ProcedureArgs, RunResult } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Instance } from '../../shared/model.js';
import type { AwsEcsProvider } from '../providers/aws-ecs/index.js';
import type { Provider } from '../providers/provider.js';
import { resolveEnvironment, type CoreDeps } from './core-deps.js';

function unsupported(provider: Provider, what: string): AppError {
  return new AppError('INVALID_INPUT', `The ${provider.kind} provider cannot ${what} yet.`);
}

export async function listInstances(deps: CoreDeps, args: ProcedureArgs<'instances.list'>): Promise<Instance[]> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  if (provider.listInstances) return provider.listInstances(ctx);
  return [...(await provider.status(ctx)).instances];
}

export async function killInstance(
  deps: CoreDeps,
  args: ProcedureArgs<'instances.kill'>,
): Promise<{ instance: string }> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  if (!provider.killInstance) throw unsupported(provider, 'stop a single instance');
  await provider.killInstance(ctx, args.instance, args.reason);
  return { instance: args.instance };
}

export async function runOneOff(deps: CoreDeps, args: ProcedureArgs<'run'>): Promise<RunResult> {
  const { ctx, provider } = await resolveEnvironment(deps, args.pipeline, args.environment);
  if (!provider.run) throw unsupported(provider, 'run one-off commands');
  const { exitCode, output } = await provider.run(ctx, args.command);
  return { exitCode, output: [...output] };
}

const aws = async (deps: CoreDeps): Promise<AwsEcsProvider> => (await deps.providers.get('aws-ecs')) as AwsEcsProvider;

export async function awsWhoami(deps: CoreDeps, args: ProcedureArgs<'aws.whoami'>): Promise<AwsIdentity> {
  return (await aws(deps)).whoami(args);
}

export async function awsDiscover(
  deps: CoreDeps,
  args: ProcedureArgs<'aws.discover'>,
): Promise<{ clusters: DiscoveredCluster[] }> {
  return { clusters: await (await aws(deps)).discover(args) };
}
