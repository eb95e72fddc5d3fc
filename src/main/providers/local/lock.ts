// One deploy at a time per environment, across processes (the window and a CLI deploy queue up).
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../shared/errors.js';
import { asStorageError } from '../../util/storage-error.js';
import { reportUnexpectedError } from '../../util/unexpected-error.js';
import { removeOrphanTemps } from '../../util/temp-files.js';
import { isErrno } from './files.js';
import type { EnvironmentPaths } from './paths.js';
import { isAlive, isZombie } from '../../util/process-alive.js';

export interface LockOptions {
  /** Wait for the holder (default), or give up at once and return undefined. */
  readonly wait?: boolean;
  /** Told when the lock of a process that died holding it was taken over (a line for the person). */
  readonly onStale?: (line: string) => void;
}

/** Who holds the lock: proper-lockfile only knows an mtime, which keeps a dead holder's lock for 15 s. */
const ownerFile = (paths: EnvironmentPaths): string => `${paths.lock}.owner`;

async function readOwner(paths: EnvironmentPaths): Promise<number | undefined> {
  try {
    const { pid } = JSON.parse(await readFile(ownerFile(paths), 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // no owner written yet (taken a moment ago), or unreadable: wait as before
  }
}

/**
 * A holder names itself within milliseconds of taking the lock (and gives the lock up when it cannot),
 * so a lock older than this with no owner was left by a process killed in between, or while releasing.
 */
const UNNAMED_STALE_MS = 1_000;

async function lockAgeMs(paths: EnvironmentPaths): Promise<number | undefined> {
  const info = await stat(paths.lock).catch(() => undefined);
  return info ? Date.now() - info.mtimeMs : undefined;
}

/** Removes the lock when the process that holds it is gone; true when it did. */
async function takeOverDeadHolder(paths: EnvironmentPaths, onStale?: (line: string) => void): Promise<boolean> {
  const pid = await readOwner(paths);
  let line: string;
  if (pid === undefined) {
    const age = await lockAgeMs(paths);
    if (age === undefined || age < UNNAMED_STALE_MS) return false;
    line = 'Recovered a stale deploy lock: the process that took it stopped before it began.';
  } else {
    if (pid === process.pid || (isAlive(pid) && !isZombie(pid))) return false;
    line = `Recovered a stale deploy lock: process ${pid} stopped while holding it.`;
  }
  // Checked again just before removing: a live process may have taken the lock in between.
  if ((await readOwner(paths)) !== pid) return false;
  await rm(paths.lock, { recursive: true, force: true });
  await rm(ownerFile(paths), { force: true });
  onStale?.(line);
  return true;
}

/** Runs `work` holding the environment's lock; with `wait: false`, undefined when someone holds it. */
export async function withLock<T>(
  paths: EnvironmentPaths,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T | undefined> {
  await mkdir(paths.root, { recursive: true, mode: 0o700 });
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  const take = (): Promise<() => Promise<void>> =>
    lockfile.lock(paths.root, {
      lockfilePath: paths.lock,
      // The holder refreshes the lock every few seconds; a crashed holder's lock goes stale.
      stale: 15_000,
      update: 5_000,
      retries: 0,
      // The default throws from a timer, which would take the whole process down.
      onCompromised: (error) => {
        compromised = error;
      },
    });
  try {
    // Waiting is ours, not proper-lockfile's: a holder killed with -9 never releases the lock, and its
    // pid (or its never naming itself) tells within a second, where the mtime rule needs 15 s.
    for (let pause = 50; ; pause = Math.min(Math.round(pause * 1.2), 500)) {
      try {
        release = await take();
        break;
      } catch (error) {
        if (!isErrno(error, 'ELOCKED')) throw error;
        if (await takeOverDeadHolder(paths, options.onStale)) continue;
        if (options.wait === false) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    // A lock without an owner is taken over after a second, so a holder that cannot name itself (a
    // full disk) gives the lock up and says why.
    await writeFile(ownerFile(paths), JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), {
      mode: 0o600,
    }).catch(async (error: unknown) => {
      await release().catch(() => undefined);
      throw error;
    });
  } catch (error) {
    if (options.wait === false && isErrno(error, 'ELOCKED')) return undefined;
    const storage = asStorageError(error);
    if (storage) throw storage;
    throw new AppError(
      'CONFLICT',
      'Another deploy to this environment did not finish in time. Try again when it is done.',
      { cause: error },
    );
  }
  try {
    // Holding the lock: what a killed deploy was writing when it died goes.
    await removeOrphanTemps([paths.root, paths.releases, paths.instances]);
    return await work();
  } finally {
    await rm(ownerFile(paths), { force: true });
    await release().catch(() => undefined);
    if (compromised) reportUnexpectedError(`the deploy lock of ${paths.root} was lost while held`, compromised);
  }
}
