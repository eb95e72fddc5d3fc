// Small file helpers: readers never see a half-written file.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { damagedFile } from '../../util/storage-error.js';
import { isAlive, isZombie } from './processes.js';

export const isErrno = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

/** A temp file's name carries its writer's pid, so one left by a killed writer can be told and removed. */
export const tempSuffix = (): string => `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
const TEMP = /\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Removes the temp files in `dirs` whose writer no longer runs (a kill -9 mid-write); a live one's stay. */
export async function removeOrphanTemps(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const pid = Number(TEMP.exec(name)?.[1] ?? 0);
      if (pid > 0 && pid !== process.pid && (!isAlive(pid) || isZombie(pid)))
        await rm(join(dir, name), { force: true });
    }
  }
}

/** Write to a temp file next to the target, then rename over it (atomic on one filesystem). */
export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const temp = `${path}${tempSuffix()}`;
  try {
    await writeFile(temp, data, { mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export const writeJsonAtomic = (path: string, value: unknown, mode?: number): Promise<void> =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);

/** The parsed JSON, or undefined when the file does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw damagedFile(path, error);
  }
}

/** The last `max` lines of a text file (logs), empty when it does not exist. */
export async function tailFile(path: string, max: number): Promise<string[]> {
  try {
    const text = await readFile(path, 'utf8');
    return text
      .split(/\r?\n/)
      .filter((line) => line.length > 0)
      .slice(-max);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
}
