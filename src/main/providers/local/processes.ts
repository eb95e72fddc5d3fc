// Process helpers. Instances and the proxy run in their own process group, so a signal reaches
// everything a shell command started.

import { isAlive, isZombie } from '../../util/process-alive.js';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether anything of the group led by `pid` still runs (POSIX); the process itself on Windows. A
 * shell that started the app may be gone while the app lives on, so the group is what counts.
 */
export function isGroupAlive(pid: number): boolean {
  if (process.platform === 'win32') return isAlive(pid);
  if (isZombie(pid)) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signal the whole group on POSIX (pid is the group leader: spawned detached); the process on Windows. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(25);
  }
  return true;
}

/** The stop signal, up to `graceMs` to finish, then SIGKILL. */
export async function stopGroup(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<'stopped' | 'killed'> {
  if (!isGroupAlive(pid)) return 'stopped';
  signalGroup(pid, signal);
  if (await waitForExit(pid, graceMs)) return 'stopped';
  signalGroup(pid, 'SIGKILL');
  await waitForExit(pid, 2_000);
  return 'killed';
}

export { freePort } from '../../util/free-port.js';
export { delay };
