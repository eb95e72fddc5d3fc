import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withServiceLock } from './environment-lock.js';

const target = { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'apps', service: 'web' } as const;

describe('the deploy lock of an ECS service', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-lock-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('tells each holder when the lock was last taken, even by a holder that failed', async () => {
    const seen: (number | undefined)[] = [];
    const before = Date.now();
    await withServiceLock(home, target, async (last) => void seen.push(last));
    await expect(
      withServiceLock(home, target, async (last) => {
        seen.push(last);
        throw new Error('crashed mid-deploy');
      }),
    ).rejects.toThrow('crashed mid-deploy');
    await withServiceLock(home, target, async (last) => void seen.push(last));
    expect(seen[0]).toBeUndefined();
    expect(seen[1]).toBeGreaterThanOrEqual(before);
    expect(seen[2]).toBeGreaterThanOrEqual(seen[1] ?? Infinity);
    // Another service's lock is its own.
    await withServiceLock(home, { ...target, service: 'api' }, async (last) => void seen.push(last));
    expect(seen[3]).toBeUndefined();
  });
});
