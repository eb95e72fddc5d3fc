import { describe, expect, it } from 'vitest';
import type { Release } from '../../shared/model.js';
import { currentRelease, previousRelease, rollbackVerdict } from './rollback-policy.js';

const actor = { user: 'ada' };
const release = (version: number, extra: Partial<Release> = {}): Release => ({
  version,
  kind: 'deploy',
  artifact: { kind: 'slug', id: `s${version}`, sha: `sha${version}` },
  config: {},
  actor,
  description: `v${version}`,
  createdAt: new Date(2026, 0, version).toISOString(),
  status: 'succeeded',
  ...extra,
});

describe('rollback policy', () => {
  const migration = { reason: 'drops the users.name column', actor, at: '2026-01-04T00:00:00Z' };
  // newest first, as providers list them
  const history = [
    release(5),
    release(4, { status: 'failed' }),
    release(3, { noRollback: migration }),
    release(2),
    release(1),
  ];

  it('takes the newest succeeded release as current and the one before it as the default target', () => {
    const current = currentRelease(history);
    expect(current?.version).toBe(5);
    expect(previousRelease(history, current!)?.version).toBe(3);
  });

  it('allows rolling back to a release after the no-rollback mark', () => {
    expect(rollbackVerdict(history, history[0], history[2]!)).toEqual({ allowed: true });
  });

  it('blocks rolling back across a no-rollback release and says which one and why', () => {
    expect(rollbackVerdict(history, history[0], history[3]!)).toEqual({
      allowed: false,
      blockedBy: { version: 3, reason: 'drops the users.name column' },
    });
  });

  it('refuses the current release and releases that never served', () => {
    expect(rollbackVerdict(history, history[0], history[0]!).reason).toMatch(/already serving/);
    expect(rollbackVerdict(history, history[0], history[1]!).reason).toMatch(/failed/);
  });

  it('ignores a no-rollback mark on a release that failed, since it never ran', () => {
    const failedMigration = [release(3), release(2, { status: 'failed', noRollback: migration }), release(1)];
    expect(rollbackVerdict(failedMigration, failedMigration[0], failedMigration[2]!).allowed).toBe(true);
  });
});
