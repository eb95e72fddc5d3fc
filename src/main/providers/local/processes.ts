// Process helpers. Instances and the proxy run in their own process group, so a signal reaches
// everything a shell command started.
import { readFileSync } from 'node:fs';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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

/**
 * A leader that exited after its parent did waits for init to reap it; where init does not (some
 * containers), it would look alive forever. Linux only; elsewhere a zombie is reaped promptly.
 */
export function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
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
