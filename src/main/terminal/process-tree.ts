// Ending a terminal ends everything it started. A pty's process leads its own session (setsid), and
// an interactive shell puts each job in a process group of its own, so killing the leader's group is
// not enough: on Linux every process of the session is found in /proc; elsewhere the group is signalled.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose session id is `sid` (Linux), the leader included. */
export function sessionMembers(sid: number): number[] {
  if (process.platform !== 'linux') return [];
  const members: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after "(comm)": state ppid pgrp session …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sid && fields[0] !== 'Z') members.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return members;
}

const signal = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
};

/** SIGHUP (what closing a terminal sends), then SIGKILL for whatever ignored it. */
export async function killSession(leader: number, graceMs = 500): Promise<void> {
  if (process.platform === 'win32') {
    signal(leader, 'SIGKILL');
    return;
  }
  const everyone = (): number[] => [...new Set([leader, ...sessionMembers(leader)])];
  for (const pid of everyone()) signal(pid, 'SIGHUP');
  signal(-leader, 'SIGHUP');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (everyone().every((pid) => !isRunning(pid))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (const pid of everyone()) signal(pid, 'SIGKILL');
  signal(-leader, 'SIGKILL');
}

/** Alive and not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
