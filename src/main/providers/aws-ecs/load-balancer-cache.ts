// Where an ECS service can be reached: ECS names the target groups it registers tasks with, each target
// group names its load balancers, and a load balancer has a DNS name. Both lookups are batched across
// every service of a status refresh and cached by ARN, since load balancers rarely change.
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AppError } from '../../../shared/errors.js';
import { chunk } from './async-util.js';
import type { ClientKey } from './clients.js';
import type { AwsSession } from './session.js';

/** DescribeLoadBalancers accepts at most 20 ARNs (API reference). */
export const LOAD_BALANCERS_PER_CALL = 20;
/**
 * DescribeTargetGroups documents no limit on ARNs, but answers at most 400 target groups a page
 * (PageSize 1–400). 400 ARNs a call keeps each answer to one page; NextMarker is followed anyway.
 */
export const TARGET_GROUPS_PER_CALL = 400;

interface Entry<T> {
  readonly value: T;
  readonly at: number;
}

export interface Addresses {
  /** The address of a service registered with these target groups, if one of them is behind a load balancer. */
  urlFor(targetGroupArns: readonly string[]): string | undefined;
  /** Why some load balancers could not be read this time (their services then show no address). */
  readonly error: AppError | undefined;
}

const unique = (items: readonly string[]): string[] => [...new Set(items)];
const sessionKey = (key: ClientKey): string => `${key.profile ?? ''}\u0000${key.region}`;
const isNotFound = (error: unknown): boolean => error instanceof AppError && error.code === 'NOT_FOUND';

/** A gateway load balancer passes traffic through appliances; it has no address a person opens. */
const addressOf = (lb: LoadBalancer): string | undefined =>
  lb.Type === 'gateway' || lb.DNSName === undefined || lb.DNSName === '' ? undefined : lb.DNSName;

/**
 * One deleted ARN fails the whole call with a not-found error; the batch is then asked one ARN at a
 * time, so the other services still get their address and the deleted one is remembered as gone.
 */
async function describeIsolating(
  batch: readonly string[],
  describe: (arns: readonly string[]) => Promise<void>,
  gone: (arn: string) => void,
): Promise<void> {
  try {
    await describe(batch);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      gone(only);
      return;
    }
    for (const arn of batch) await describeIsolating([arn], describe, gone);
  }
}

export class LoadBalancerCache {
  /** Target group ARN → the ARNs of the load balancers that forward to it. */
  private readonly targetGroups = new Map<string, Entry<readonly string[]>>();
  /** Load balancer ARN → its DNS name (undefined when it has none a person can open). */
  private readonly loadBalancers = new Map<string, Entry<string | undefined>>();
  /** A refusal per (profile, region): not asked again for a while, so a policy without these actions costs nothing. */
  private readonly denied = new Map<string, Entry<AppError>>();

  constructor(
    private readonly ttlMs: number,
    private readonly deniedTtlMs: number,
    private readonly now: () => number,
  ) {}

  /** Reads what the cache lacks for these target groups, in as few calls as ELB allows. */
  async lookup(session: AwsSession, targetGroupArns: readonly string[]): Promise<Addresses> {
    const key = sessionKey(session.key);
    const refusal = this.denied.get(key);
    let error = refusal !== undefined && this.now() - refusal.at < this.deniedTtlMs ? refusal.value : undefined;
    if (error === undefined) {
      try {
        await this.readTargetGroups(
          session,
          unique(targetGroupArns).filter((arn) => this.stale(this.targetGroups, arn)),
        );
        const lbArns = unique(targetGroupArns.flatMap((arn) => this.targetGroups.get(arn)?.value ?? []));
        await this.readLoadBalancers(
          session,
          lbArns.filter((arn) => this.stale(this.loadBalancers, arn)),
        );
      } catch (caught) {
        error =
          caught instanceof AppError
            ? caught
            : new AppError('PROVIDER_UNAVAILABLE', 'Reading the load balancers failed unexpectedly.', {
                cause: caught,
              });
        if (error.code === 'PROVIDER_DENIED') this.denied.set(key, { value: error, at: this.now() });
      }
    }
    return { error, urlFor: (arns) => this.urlFor(arns) };
  }

  /**
   * `http://` on purpose: the listeners' ports would take one DescribeListeners call per load balancer
   * (it does not batch), and a load balancer that serves HTTPS almost always redirects port 80 to it.
   */
  private urlFor(targetGroupArns: readonly string[]): string | undefined {
    for (const tg of targetGroupArns) {
      for (const lb of this.targetGroups.get(tg)?.value ?? []) {
        const dns = this.loadBalancers.get(lb)?.value;
        if (dns !== undefined) return `http://${dns}`;
      }
    }
    return undefined;
  }

  private stale(map: Map<string, Entry<unknown>>, arn: string): boolean {
    const entry = map.get(arn);
    return entry === undefined || this.now() - entry.at >= this.ttlMs;
  }

  private async readTargetGroups(session: AwsSession, arns: readonly string[]): Promise<void> {
    const describe = async (batch: readonly string[]): Promise<void> => {
      const at = this.now();
      const found = new Map<string, readonly string[]>();
      let marker: string | undefined;
      do {
        const out = await session.elb(
          new DescribeTargetGroupsCommand({ TargetGroupArns: [...batch], PageSize: 400, Marker: marker }),
          `target groups of ECS services in ${session.key.region}`,
        );
        for (const tg of out.TargetGroups ?? []) {
          if (tg.TargetGroupArn !== undefined) found.set(tg.TargetGroupArn, tg.LoadBalancerArns ?? []);
        }
        marker = out.NextMarker;
      } while (marker !== undefined && marker !== '');
      for (const arn of batch) this.targetGroups.set(arn, { value: found.get(arn) ?? [], at });
    };
    const gone = (arn: string): void => void this.targetGroups.set(arn, { value: [], at: this.now() });
    for (const batch of chunk(arns, TARGET_GROUPS_PER_CALL)) await describeIsolating(batch, describe, gone);
  }

  private async readLoadBalancers(session: AwsSession, arns: readonly string[]): Promise<void> {
    const describe = async (batch: readonly string[]): Promise<void> => {
      const at = this.now();
      const found = new Map<string, string | undefined>();
      let marker: string | undefined;
      do {
        const out = await session.elb(
          new DescribeLoadBalancersCommand({ LoadBalancerArns: [...batch], Marker: marker }),
          `load balancers of ECS services in ${session.key.region}`,
        );
        for (const lb of out.LoadBalancers ?? []) {
          if (lb.LoadBalancerArn !== undefined) found.set(lb.LoadBalancerArn, addressOf(lb));
        }
        marker = out.NextMarker;
      } while (marker !== undefined && marker !== '');
      for (const arn of batch) this.loadBalancers.set(arn, { value: found.get(arn), at });
    };
    const gone = (arn: string): void => void this.loadBalancers.set(arn, { value: undefined, at: this.now() });
    for (const batch of chunk(arns, LOAD_BALANCERS_PER_CALL)) await describeIsolating(batch, describe, gone);
  }
}
