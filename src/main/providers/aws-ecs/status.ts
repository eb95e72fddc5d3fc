// What an environment is running, read in as few calls as ECS allows: DescribeServices batches 10
// services per cluster, DescribeTasks 100 tasks, and each task definition is read once per ARN. The
// address comes from the services' load balancers, read for every cluster of the refresh at once.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { AwsEcsTarget } from '../../../shared/model.js';
import type { EnvironmentContext, ProviderStatus, StatusOutcome } from '../provider.js';
import { chunk, mapLimit } from './async-util.js';
import { deploymentSafety } from './deployment-safety.js';
import { toInstance } from './instance-state.js';
import { releaseFrom, servingTaskDefinition } from './releases.js';
import { appContainerName } from './task-definition.js';
import { ecsTarget, familyOfArn, revisionOfArn, type Runtime } from './runtime.js';
import { missingService } from './service-cache.js';
import { serviceWarnings } from './service-warnings.js';
import type { AwsSession } from './session.js';

export type { StatusOutcome };

interface Entry {
  readonly index: number;
  readonly ctx: EnvironmentContext;
  readonly target: AwsEcsTarget;
}

/** A service read successfully, by the index of its environment: the input of the address pass. */
type Served = Map<number, { readonly target: AwsEcsTarget; readonly service: Service }>;

const groupKey = (t: AwsEcsTarget): string => [t.profile ?? '', t.region, t.cluster].join('\u0000');
const shortTd = (arn: string | undefined): string | undefined =>
  arn === undefined ? undefined : `${familyOfArn(arn)}:${revisionOfArn(arn) ?? '?'}`;
const asAppError = (error: unknown): AppError =>
  error instanceof AppError
    ? error
    : new AppError('PROVIDER_UNAVAILABLE', 'Reading the ECS service failed unexpectedly.', { cause: error });

async function describeServices(
  session: AwsSession,
  cluster: string,
  names: readonly string[],
): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  for (const batch of chunk(names, 10)) {
    const out = await session.ecs(
      new DescribeServicesCommand({ cluster, services: batch }),
      `services in cluster ${cluster}`,
    );
    for (const service of out.services ?? []) {
      if (service.serviceName !== undefined && service.status !== 'INACTIVE') found.set(service.serviceName, service);
    }
  }
  return found;
}

async function listServiceTasks(session: AwsSession, cluster: string, service: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await session.ecs(
      new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'RUNNING', nextToken }),
      `tasks of service ${service}`,
    );
    arns.push(...(out.taskArns ?? []));
    nextToken = out.nextToken;
  } while (nextToken !== undefined);
  return arns;
}

async function describeTasks(
  session: AwsSession,
  cluster: string,
  arns: readonly string[],
): Promise<Map<string, Task>> {
  const tasks = new Map<string, Task>();
  for (const batch of chunk(arns, 100)) {
    const out = await session.ecs(new DescribeTasksCommand({ cluster, tasks: batch }), `tasks in cluster ${cluster}`);
    for (const task of out.tasks ?? []) if (task.taskArn !== undefined) tasks.set(task.taskArn, task);
  }
  return tasks;
}

/**
 * ECS places a service's tasks in group `service:NAME`; a task listed for the service in another group
 * (a one-off task, on an endpoint that does not filter ListTasks by service) is not one of its instances.
 */
const ofService = (task: Task, service: string): boolean =>
  task.group === undefined || task.group === `service:${service}`;

async function clusterStatus(
  rt: Runtime,
  entries: readonly Entry[],
  results: StatusOutcome[],
  served: Served,
): Promise<void> {
  const first = entries[0];
  if (!first) return;
  const session = rt.session(first.target);
  const cluster = first.target.cluster;
  const sentAt = Date.now();
  const services = await describeServices(session, cluster, [...new Set(entries.map((e) => e.target.service))]);

  const taskArns = new Map<string, string[] | AppError>();
  await mapLimit([...services.keys()], 4, async (name) => {
    taskArns.set(name, await listServiceTasks(session, cluster, name).catch(asAppError));
  });
  const allTasks = [...taskArns.values()].flatMap((v) => (v instanceof AppError ? [] : v));
  const tasks = await describeTasks(session, cluster, [...new Set(allTasks)]);

  const tdArns = new Set<string>();
  for (const service of services.values()) {
    for (const d of service.deployments ?? []) if (d.taskDefinition !== undefined) tdArns.add(d.taskDefinition);
  }
  for (const task of tasks.values()) if (task.taskDefinitionArn !== undefined) tdArns.add(task.taskDefinitionArn);
  await mapLimit([...tdArns], 8, (arn) => rt.taskDefinitions.get(session, arn).catch(() => undefined));

  for (const entry of entries) {
    const service = services.get(entry.target.service);
    if (!service) {
      results[entry.index] = { ok: false, error: missingService(entry.target, undefined) };
      continue;
    }
    rt.services.put(entry.target, service, sentAt);
    const arns = taskArns.get(entry.target.service);
    if (arns instanceof AppError) {
      results[entry.index] = { ok: false, error: arns };
      continue;
    }
    served.set(entry.index, { target: entry.target, service });
    results[entry.index] = {
      ok: true,
      status: buildStatus(
        rt,
        entry,
        service,
        (arns ?? []).flatMap((a) => tasks.get(a) ?? []).filter((t) => ofService(t, entry.target.service)),
      ),
    };
  }
}

function buildStatus(rt: Runtime, entry: Entry, service: Service, tasks: readonly Task[]): ProviderStatus {
  const versionOf = (arn: string | undefined): number | undefined => {
    const cached = arn === undefined ? undefined : rt.taskDefinitions.peek(arn);
    return cached === undefined ? undefined : releaseFrom(entry.ctx, cached)?.version;
  };
  const servingTd = servingTaskDefinition(service);
  const cached = servingTd === undefined ? undefined : rt.taskDefinitions.peek(servingTd);
  // Whoever registered it, what the service serves is its current release (kind `external` when not Slipway).
  const current = cached === undefined ? undefined : releaseFrom(entry.ctx, cached, true);
  const warnings = serviceWarnings(service, entry.target.cluster);
  if (servingTd !== undefined && current === undefined) {
    warnings.push(`Slipway could not read ${shortTd(servingTd)}, the task definition ${entry.target.service} runs.`);
  }
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  return {
    current,
    instances: tasks.map((task) => toInstance(task, versionOf(task.taskDefinitionArn))),
    details: {
      kind: 'aws-ecs',
      cluster: entry.target.cluster,
      service: entry.target.service,
      region: entry.target.region,
      taskDefinition: shortTd(servingTd),
      image: runningImage(entry, cached?.td, tasks, servingTd),
      launchType: service.capacityProviderStrategy?.length ? 'capacity provider' : service.launchType,
      desiredCount: service.desiredCount ?? 0,
      runningCount: service.runningCount ?? 0,
      pendingCount: service.pendingCount ?? 0,
      rollout: primary?.rolloutState,
      deploymentSafety: deploymentSafety(service),
      deployments: (service.deployments ?? []).map((d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: shortTd(d.taskDefinition),
        version: versionOf(d.taskDefinition),
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
        desired: d.desiredCount ?? 0,
        running: d.runningCount ?? 0,
        pending: d.pendingCount ?? 0,
        failed: d.failedTasks ?? 0,
        createdAt: d.createdAt?.toISOString(),
      })),
      events: (service.events ?? []).slice(0, 5).map((e) => ({ at: e.createdAt?.toISOString(), message: e.message })),
    },
    warnings,
  };
}

/**
 * The app container's image as it runs: the digest ECS resolved for a running task of the serving
 * revision when there is one (a revision registered with a tag), else the image the revision names.
 */
function runningImage(
  entry: Entry,
  td: TaskDefinition | undefined,
  tasks: readonly Task[],
  servingTd: string | undefined,
): string | undefined {
  if (td === undefined) return undefined;
  const app = appContainerName(td, entry.target.service);
  const image = td.containerDefinitions?.find((c) => c.name === app)?.image;
  if (image === undefined || image.includes('@')) return image;
  const digest = tasks
    .filter((t) => t.taskDefinitionArn === servingTd)
    .flatMap((t) => t.containers ?? [])
    .find((c) => c.name === app && c.imageDigest !== undefined)?.imageDigest;
  const repository = image.slice(
    0,
    image.lastIndexOf(':') > image.lastIndexOf('/') ? image.lastIndexOf(':') : image.length,
  );
  return digest === undefined ? image : `${repository}@${digest}`;
}

export async function statusMany(rt: Runtime, contexts: readonly EnvironmentContext[]): Promise<StatusOutcome[]> {
  const results: StatusOutcome[] = new Array<StatusOutcome>(contexts.length);
  const groups = new Map<string, Entry[]>();
  contexts.forEach((ctx, index) => {
    try {
      const target = ecsTarget(ctx);
      const list = groups.get(groupKey(target)) ?? [];
      list.push({ index, ctx, target });
      groups.set(groupKey(target), list);
    } catch (error) {
      results[index] = { ok: false, error: asAppError(error) };
    }
  });
  const served: Served = new Map();
  await mapLimit([...groups.values()], 4, (entries) =>
    clusterStatus(rt, entries, results, served).catch((error: unknown) => {
      for (const entry of entries) {
        served.delete(entry.index);
        results[entry.index] = { ok: false, error: asAppError(error) };
      }
    }),
  );
  await addAddresses(rt, served, results);
  return results;
}

const targetGroupsOf = (service: Service): string[] =>
  (service.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn === undefined ? [] : [lb.targetGroupArn]));

/**
 * Fills `url` from the load balancers, one lookup per (profile, region) for every cluster read. A
 * failure here never fails status: the environment shows no address and a warning says why.
 */
async function addAddresses(rt: Runtime, served: Served, results: StatusOutcome[]): Promise<void> {
  const arnsOf = (index: number): string[] => {
    const entry = served.get(index);
    return entry === undefined ? [] : targetGroupsOf(entry.service);
  };
  // Services without a load balancer cost no call.
  const byRegion = new Map<string, { target: AwsEcsTarget; indexes: number[] }>();
  for (const [index, { target }] of served) {
    if (arnsOf(index).length === 0) continue;
    const key = [target.profile ?? '', target.region].join('\u0000');
    const group = byRegion.get(key) ?? { target, indexes: [] };
    group.indexes.push(index);
    byRegion.set(key, group);
  }
  await mapLimit([...byRegion.values()], 4, async ({ target, indexes }) => {
    const addresses = await rt.loadBalancers.lookup(rt.session(target), indexes.flatMap(arnsOf));
    for (const index of indexes) {
      const outcome = results[index];
      if (!outcome?.ok) continue;
      const url = addresses.urlFor(arnsOf(index));
      if (url !== undefined) {
        results[index] = { ok: true, status: { ...outcome.status, url } };
      } else if (addresses.error !== undefined) {
        const service = served.get(index)?.target.service ?? 'the service';
        results[index] = {
          ok: true,
          status: {
            ...outcome.status,
            warnings: [
              ...outcome.status.warnings,
              `Slipway could not read the load balancer of ${service}, so no address is shown. ${addresses.error.message}`,
            ],
          },
        };
      }
    }
  });
}

export async function status(rt: Runtime, ctx: EnvironmentContext): Promise<ProviderStatus> {
  const [outcome] = await statusMany(rt, [ctx]);
  if (!outcome) throw new AppError('INTERNAL', 'No status was read.');
  if (!outcome.ok) throw outcome.error;
  return outcome.status;
}
