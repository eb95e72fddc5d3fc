// Which earlier release an environment may roll back to, and what stands in the way.
import type { Release } from '../../shared/model.js';
import type { EnvironmentContext, Provider } from '../providers/provider.js';

export interface RollbackVerdict {
  readonly allowed: boolean;
  /** A later release marked no-rollback: a typed override reason can still allow the rollback. */
  readonly blockedBy?: { version: number; reason: string } | undefined;
  /** Why it can never be done (already serving, never ran). */
  readonly reason?: string | undefined;
}

/** `releases` newest first; `current` the release serving now. */
export function rollbackVerdict(
  releases: readonly Release[],
  current: Release | undefined,
  target: Release,
): RollbackVerdict {
  if (!current) return { allowed: false, reason: 'Nothing is serving yet, so there is nothing to roll back.' };
  if (target.version === current.version) return { allowed: false, reason: `v${target.version} is already serving.` };
  if (target.status !== 'succeeded') {
    return {
      allowed: false,
      reason: `v${target.version} ${target.status === 'failed' ? 'failed' : 'never finished'} and never served traffic.`,
    };
  }
  // Any release that served after the target and is marked no-rollback blocks the way back.
  const blocker = releases.find(
    (r) => r.version > target.version && r.version <= current.version && r.status === 'succeeded' && r.noRollback,
  );
  if (blocker?.noRollback)
    return { allowed: false, blockedBy: { version: blocker.version, reason: blocker.noRollback.reason } };
  return { allowed: true };
}

export const currentRelease = (releases: readonly Release[]): Release | undefined =>
  releases.find((r) => r.status === 'succeeded');

/** The default rollback target: the newest release that served before the current one. */
export const previousRelease = (releases: readonly Release[], current: Release): Release | undefined =>
  releases.find((r) => r.version < current.version && r.status === 'succeeded');

/** How far back a rollback looks, in versions: far enough for any real history, bounded for the API. */
const ROLLBACK_REACH = 500;

/**
 * The releases from `current` down to the rollback target (`to`, or the newest earlier release that
 * served), read a page at a time from the newest: a rollback one step back costs one small read, not
 * the whole history. A page spans `limit` versions below `before`; numbering may have gaps.
 */
export async function rollbackRange(
  provider: Provider,
  ctx: EnvironmentContext,
  current: Release,
  to: number | undefined,
): Promise<{ releases: Release[]; target: Release | undefined }> {
  const releases: Release[] = [current];
  let before = current.version;
  let limit = to === undefined ? 1 : Math.min(before - to, 100);
  while (before > 1 && current.version - before < ROLLBACK_REACH && (to === undefined || before > to)) {
    const page = await provider.listReleases(ctx, { before, limit });
    releases.push(...page);
    const target = to === undefined ? previousRelease(page, current) : page.find((release) => release.version === to);
    if (target) return { releases, target };
    before -= limit;
    limit = Math.min(limit * 4, 100);
  }
  return { releases, target: undefined };
}
