// Which earlier release an environment may roll back to, and what stands in the way.
import type { Release } from '../../shared/model.js';

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
