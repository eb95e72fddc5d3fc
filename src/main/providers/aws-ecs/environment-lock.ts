// Deploys to one ECS service take turns across the processes of one machine (the window, `slipway
// serve`, CLI commands): a lock file per service under SLIPWAY_HOME, held while a deploy runs and
// refreshed by its holder, so a crashed holder's lock goes stale. Teammates on other machines are
// kept apart by ECS itself: a deploy that finds a rollout in progress waits for it (see rollout.ts).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../shared/errors.js';
import type { AwsEcsTarget } from '../../../shared/model.js';

export const lockDir = (home: string): string => join(home, 'aws-ecs', 'locks');

/**
 * Runs `work` holding the service's lock, waiting (for as long as a deploy can take) while another
 * process holds it. `work` learns when the lock was last taken before (wall clock, any process of this
 * machine), so a service read before then is read again and one read after is still what is there.
 */
export async function withServiceLock<T>(
  home: string,
  target: AwsEcsTarget,
  work: (lastTakenAt: number | undefined) => Promise<T>,
): Promise<T> {
  const dir = lockDir(home);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = createHash('sha256')
    .update([target.profile ?? '', target.region, target.cluster, target.service].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, `${id}.lock`),
      stale: 15_000,
      update: 5_000,
      retries: { retries: 100_000, factor: 1.2, minTimeout: 50, maxTimeout: 1_000 },
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    throw new AppError(
      'CONFLICT',
      `Another deploy to service ${target.service} in cluster ${target.cluster} did not finish in time. Try again when it is done.`,
      { cause: error },
    );
  }
  try {
    // Written before any change the holder makes, so even a holder that crashes leaves its mark.
    const marker = join(dir, `${id}.taken`);
    const last = Number(await readFile(marker, 'utf8').catch(() => ''));
    await writeFile(marker, String(Date.now()), { mode: 0o600 });
    return await work(Number.isFinite(last) && last > 0 ? last : undefined);
  } finally {
    await release().catch(() => undefined);
    if (compromised)
      console.warn(`The deploy lock of service ${target.service} was lost while held: ${compromised.message}`);
  }
}
