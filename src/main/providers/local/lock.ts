// One deploy at a time per environment, across processes (the window and a CLI deploy queue up).
import { mkdir } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../shared/errors.js';
import { isErrno } from './files.js';
import type { EnvironmentPaths } from './paths.js';

export interface LockOptions {
  /** Wait for the holder (default), or give up at once and return undefined. */
  readonly wait?: boolean;
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
  try {
    release = await lockfile.lock(paths.root, {
      lockfilePath: paths.lock,
      // The holder refreshes the lock every few seconds; a crashed holder's lock goes stale.
      stale: 15_000,
      update: 5_000,
      retries: options.wait === false ? 0 : { retries: 100_000, factor: 1.2, minTimeout: 50, maxTimeout: 1_000 },
      // The default throws from a timer, which would take the whole process down.
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    if (options.wait === false && isErrno(error, 'ELOCKED')) return undefined;
    throw new AppError(
      'CONFLICT',
      'Another deploy to this environment did not finish in time. Try again when it is done.',
      { cause: error },
    );
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
    if (compromised) console.warn(`The deploy lock of ${paths.root} was lost while held: ${compromised.message}`);
  }
}
