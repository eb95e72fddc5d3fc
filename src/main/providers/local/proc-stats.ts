// CPU time and resident memory of a process tree, read from Linux's /proc (no library needed for two
// numbers; elsewhere `available` is false and the Metrics view says why).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
/** /proc/<pid>/stat reports resident memory in pages. */
const PAGE_BYTES = 4_096;

export const procAvailable = (): boolean => process.platform === 'linux' && existsSync('/proc/self/stat');

export interface ProcSample {
  /** User + system CPU seconds since the process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

export async function readProc(pid: number): Promise<ProcSample | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const pages = Number(fields[21]);
    if (!Number.isFinite(ticks) || !Number.isFinite(pages)) return undefined;
    return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: pages * PAGE_BYTES };
  } catch {
    return undefined;
  }
}

/** The process's children, grandchildren and so on (not itself). */
export async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 1_000) {
    const parent = queue.shift() as number;
    let children: string;
    try {
      children = await readFile(`/proc/${parent}/task/${parent}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ')) {
      const id = Number(child);
      if (child.trim() !== '' && Number.isInteger(id)) {
        found.push(id);
        queue.push(id);
      }
    }
  }
  return found;
}
