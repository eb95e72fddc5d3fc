// Service descriptions, reused for a short while so the steps of one deploy do not re-read the
// service; writes through Slipway (UpdateService) and status refreshes replace the entry.
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { AwsEcsTarget } from '../../../shared/model.js';
import type { AwsSession } from './session.js';

const keyOf = (target: AwsEcsTarget): string =>
  [target.profile ?? '', target.region, target.cluster, target.service].join('\u0000');

export function missingService(target: AwsEcsTarget, reason: string | undefined): AppError {
  return new AppError(
    'NOT_FOUND',
    `ECS service ${target.service} was not found in cluster ${target.cluster} (${target.region})${reason === undefined || reason === 'MISSING' ? '' : `: ${reason}`}. Check the environment's cluster and service names.`,
  );
}

export class ServiceCache {
  private readonly entries = new Map<string, { service: Service; at: number }>();
  /** Reads under way: two callers asking at once share one DescribeServices. */
  private readonly inFlight = new Map<string, Promise<Service>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async get(session: AwsSession, target: AwsEcsTarget, fresh: boolean): Promise<Service> {
    const key = keyOf(target);
    const cached = this.entries.get(key);
    if (!fresh && cached && this.now() - cached.at < this.ttlMs) return cached.service;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const load = this.read(session, target).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, load);
    return load;
  }

  private async read(session: AwsSession, target: AwsEcsTarget): Promise<Service> {
    const out = await session.ecs(
      new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }),
      `service ${target.service} in cluster ${target.cluster}`,
    );
    const service = out.services?.[0];
    if (!service || service.status === 'INACTIVE') throw missingService(target, out.failures?.[0]?.reason);
    this.put(target, service);
    return service;
  }

  put(target: AwsEcsTarget, service: Service): void {
    this.entries.set(keyOf(target), { service, at: this.now() });
  }

  forget(target: AwsEcsTarget): void {
    this.entries.delete(keyOf(target));
    this.inFlight.delete(keyOf(target));
  }
}
