// Service descriptions, reused for a short while so the steps of one deploy do not re-read the
// service; writes through Slipway (UpdateService) and status refreshes replace the entry. A read asks
// for the other services of the pipeline in the same cluster too (DescribeServices takes 10): a
// promote then reads its source and its target in one call.
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { AwsEcsTarget } from '../../../shared/model.js';
import type { AwsSession } from './session.js';

const keyOf = (target: AwsEcsTarget): string =>
  [target.profile ?? '', target.region, target.cluster, target.service].join('\u0000');

/** DescribeServices describes at most 10 services a call. */
const BATCH = 10;

export function missingService(target: AwsEcsTarget, reason: string | undefined): AppError {
  return new AppError(
    'NOT_FOUND',
    `ECS service ${target.service} was not found in cluster ${target.cluster} (${target.region})${reason === undefined || reason === 'MISSING' ? '' : `: ${reason}`}. Check the environment's cluster and service names.`,
  );
}

export class ServiceCache {
  /** `at` runs on the runtime's clock (the TTL); `sentAt` is wall time when the read was sent (see forgetReadBefore). */
  private readonly entries = new Map<string, { service: Service; at: number; sentAt: number }>();
  /** Reads under way: two callers asking at once share one DescribeServices. */
  private readonly inFlight = new Map<string, Promise<Service>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The service of `target`; a read also describes `siblings` (other services of the same cluster) and keeps them. */
  async get(
    session: AwsSession,
    target: AwsEcsTarget,
    fresh: boolean,
    siblings: readonly AwsEcsTarget[] = [],
  ): Promise<Service> {
    const key = keyOf(target);
    const cached = this.entries.get(key);
    if (!fresh && cached && this.now() - cached.at < this.ttlMs) return cached.service;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const others = fresh
      ? []
      : siblings
          .filter((s) => s.cluster === target.cluster && s.region === target.region && s.profile === target.profile)
          .filter((s) => s.service !== target.service && !this.inFlight.has(keyOf(s)))
          .filter((s, i, all) => all.findIndex((o) => o.service === s.service) === i)
          .slice(0, BATCH - 1);
    const load = this.read(session, target, others);
    const loads = [target, ...others].map((t) => {
      const one = load.then((found) => found.get(t.service) ?? Promise.reject(missingService(t, undefined)));
      this.inFlight.set(keyOf(t), one);
      void one.catch(() => undefined).finally(() => this.inFlight.delete(keyOf(t)));
      return one;
    });
    return loads[0] as Promise<Service>;
  }

  private async read(
    session: AwsSession,
    target: AwsEcsTarget,
    others: readonly AwsEcsTarget[],
  ): Promise<Map<string, Service>> {
    const sentAt = Date.now();
    const out = await session.ecs(
      new DescribeServicesCommand({
        cluster: target.cluster,
        services: [target.service, ...others.map((o) => o.service)],
      }),
      `service ${target.service} in cluster ${target.cluster}`,
    );
    const found = new Map<string, Service>();
    for (const service of out.services ?? []) {
      if (service.serviceName !== undefined && service.status !== 'INACTIVE') found.set(service.serviceName, service);
    }
    if (!found.has(target.service)) {
      const failure = out.failures?.find((f) => f.arn?.endsWith(`/${target.service}`)) ?? out.failures?.[0];
      throw missingService(target, failure?.reason);
    }
    for (const t of [target, ...others]) {
      const service = found.get(t.service);
      if (service) this.put(t, service, sentAt);
    }
    return found;
  }

  /** `sentAt`: wall time when the read that returned `service` was sent (now, for the answer to a write). */
  put(target: AwsEcsTarget, service: Service, sentAt = Date.now()): void {
    this.entries.set(keyOf(target), { service, at: this.now(), sentAt });
  }

  forget(target: AwsEcsTarget): void {
    this.entries.delete(keyOf(target));
    this.inFlight.delete(keyOf(target));
  }

  /** Forgets the service unless it was read after `time` (wall clock): what another deploy may have changed. */
  forgetReadBefore(target: AwsEcsTarget, time: number): void {
    const entry = this.entries.get(keyOf(target));
    if (entry === undefined || entry.sentAt <= time) this.forget(target);
  }
}
