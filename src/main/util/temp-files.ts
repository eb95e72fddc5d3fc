// Temp files for atomic writes (write the temp, rename over the target): each name carries its
// writer's pid, so one left by a writer killed mid-write can be told from one being written and removed.
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, isZombie } from './process-alive.js';

export const tempSuffix = (): string => `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
const TEMP = /\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Removes the temp files in `dirs` whose writer no longer runs (a kill -9 mid-write); a live one's stay. Never throws. */
export async function removeOrphanTemps(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const pid = Number(TEMP.exec(name)?.[1] ?? 0);
      if (pid > 0 && pid !== process.pid && (!isAlive(pid) || isZombie(pid)))
        // Best effort: a folder that cannot be written (read-only home) keeps it, harmlessly.
        await rm(join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}
