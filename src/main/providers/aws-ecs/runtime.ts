// What every part of the provider shares: options, clients, caches and the environment lock.
import type { Service } from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { AwsEcsTarget } from '../../../shared/model.js';
import type { EnvironmentContext } from '../provider.js';
import { realSleep, type Sleep } from './async-util.js';
import { ClientPool, defaultClientFactory, type ClientFactory } from './clients.js';
import { KeyedMutex } from './keyed-mutex.js';
import { LoadBalancerCache } from './load-balancer-cache.js';
import { ServiceCache } from './service-cache.js';
import { AwsSession } from './session.js';
import { TaskDefinitionCache } from './task-definition-cache.js';

export interface AwsEcsOptions {
  /** SLIPWAY_HOME: deploy lock files live here, so processes on this machine take turns. */
  readonly home?: string;
  /** Builds the clients for a (profile, region); tests and emulators pass their own. */
  readonly clientFactory?: ClientFactory;
  /** First wait between polls of a rollout or a one-off task; grows by half each time up to `maxPollIntervalMs`. */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  readonly sleep?: Sleep;
  /** A rollout still in progress after this long fails with a message (ECS keeps going). */
  readonly rolloutTimeoutMs?: number;
  /** A one-off task still running after this long is stopped. */
  readonly taskTimeoutMs?: number;
  /** How long release tags (status, no-rollback marks) read from ECS are trusted before re-reading. */
  readonly tagsTtlMs?: number;
  /** How long a service description is reused between the steps of one deploy. */
  readonly serviceTtlMs?: number;
  /** How long a target group's load balancers and their DNS names are trusted before re-reading. */
  readonly loadBalancerTtlMs?: number;
  /** Used to read an image's config blob from ECR for its revision label. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export interface Runtime {
  readonly pool: ClientPool;
  readonly taskDefinitions: TaskDefinitionCache;
  readonly services: ServiceCache;
  readonly loadBalancers: LoadBalancerCache;
  readonly locks: KeyedMutex;
  /** (environment, version) → task definition ARN, learnt from listing and registering. */
  readonly releaseArns: Map<string, string>;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly sleep: Sleep;
  readonly rolloutTimeoutMs: number;
  readonly taskTimeoutMs: number;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  session(target: { profile?: string | undefined; region: string }): AwsSession;
}

export function createRuntime(options: AwsEcsOptions = {}): Runtime {
  const pool = new ClientPool(options.clientFactory ?? defaultClientFactory);
  const now = options.now ?? Date.now;
  const unsupported = new Set<string>();
  return {
    pool,
    taskDefinitions: new TaskDefinitionCache(options.tagsTtlMs ?? 5 * 60_000, now),
    services: new ServiceCache(options.serviceTtlMs ?? 30_000, now),
    // A refusal is re-tried after a minute, so a policy fixed by an administrator shows soon.
    loadBalancers: new LoadBalancerCache(options.loadBalancerTtlMs ?? 5 * 60_000, 60_000, now),
    locks: new KeyedMutex(),
    releaseArns: new Map(),
    // Start quick (a rollout that is already done answers at once), then back off to spare the API.
    pollIntervalMs: options.pollIntervalMs ?? 100,
    maxPollIntervalMs: options.maxPollIntervalMs ?? 15_000,
    sleep: options.sleep ?? realSleep,
    rolloutTimeoutMs: options.rolloutTimeoutMs ?? 45 * 60_000,
    taskTimeoutMs: options.taskTimeoutMs ?? 60 * 60_000,
    fetch: options.fetch ?? globalThis.fetch,
    now,
    session: (target) =>
      new AwsSession(pool.get(target), { profile: target.profile, region: target.region }, unsupported),
  };
}

export function ecsTarget(ctx: EnvironmentContext): AwsEcsTarget {
  const target = ctx.environment.target;
  if (target.provider !== 'aws-ecs') {
    throw new AppError('INVALID_INPUT', `Environment ${ctx.environment.name} does not run on ECS.`);
  }
  return target;
}

export const serviceLabel = (target: AwsEcsTarget): string => `service ${target.service} in cluster ${target.cluster}`;

/** Releases of several environments may share a family; this tag value tells them apart. */
export const environmentKey = (ctx: EnvironmentContext): string => `${ctx.pipeline.name}/${ctx.environment.name}`;

/** Identifies an environment's release index entries: its target and its pipeline/environment names. */
export function releaseKey(ctx: EnvironmentContext, version: number): string {
  const t = ecsTarget(ctx);
  return [t.profile ?? '', t.region, t.cluster, t.service, environmentKey(ctx), version].join('\u0000');
}

/** The service, read through the short-lived cache unless `fresh`. */
export async function readService(rt: Runtime, ctx: EnvironmentContext, fresh = false): Promise<Service> {
  const target = ecsTarget(ctx);
  const siblings = ctx.pipeline.environments.flatMap((e) => (e.target.provider === 'aws-ecs' ? [e.target] : []));
  return rt.services.get(rt.session(target), target, fresh, siblings);
}

/** `arn:aws:ecs:r:a:task-definition/web:12` → `web`. */
export function familyOfArn(arn: string): string {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon === -1 ? name : name.slice(0, colon);
}

export function revisionOfArn(arn: string): number | undefined {
  const match = /:(\d+)$/.exec(arn);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export const taskIdOfArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
