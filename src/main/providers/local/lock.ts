// One deploy at a time per environment, across processes (the window and a CLI deploy queue up).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../shared/errors.js';
import { asStorageError } from '../../util/storage-error.js';
import { reportUnexpectedError } from '../../util/unexpected-error.js';
import { isErrno } from './files.js';
import type { EnvironmentPaths } from './paths.js';
import { isAlive, isZombie } from './processes.js';

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

/** Removes the lock when the process that holds it is gone; true when it did. */
async function takeOverDeadHolder(paths: EnvironmentPaths, onStale?: (line: string) => void): Promise<boolean> {
  const pid = await readOwner(paths);
  if (pid === undefined || pid === process.pid || (isAlive(pid) && !isZombie(pid))) return false;
  // Checked again just before removing: a live process may have taken the lock in between.
  if ((await readOwner(paths)) !== pid) return false;
  await rm(paths.lock, { recursive: true, force: true });
  await rm(ownerFile(paths), { force: true });
  onStale?.(`Recovered a stale deploy lock: process ${pid} stopped while holding it.`);
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
  const take = (wait: boolean): Promise<() => Promise<void>> =>
    lockfile.lock(paths.root, {
      lockfilePath: paths.lock,
      // The holder refreshes the lock every few seconds; a crashed holder's lock goes stale.
      stale: 15_000,
      update: 5_000,
      retries: wait ? { retries: 100_000, factor: 1.2, minTimeout: 50, maxTimeout: 1_000 } : 0,
      // The default throws from a timer, which would take the whole process down.
      onCompromised: (error) => {
        compromised = error;
      },
    });
  try {
    try {
      release = await take(false);
    } catch (error) {
      if (!isErrno(error, 'ELOCKED')) throw error;
      // A holder killed with -9 never released it: its pid tells at once, where the mtime needs 15 s.
      if (await takeOverDeadHolder(paths, options.onStale)) release = await take(options.wait !== false);
      else if (options.wait === false) throw error;
      else release = await take(true);
    }
    // Without it (a full disk) a kill leaves the lock to the 15 s mtime rule, as before.
    await writeFile(ownerFile(paths), JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), {
      mode: 0o600,
    }).catch(() => undefined);
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
    return await work();
  } finally {
    await rm(ownerFile(paths), { force: true });
    await release().catch(() => undefined);
    if (compromised) reportUnexpectedError(`the deploy lock of ${paths.root} was lost while held`, compromised);
  }
}
