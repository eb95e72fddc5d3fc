// Small file helpers: readers never see a half-written file.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { damagedFile } from '../../util/storage-error.js';
import { tempSuffix } from '../../util/temp-files.js';

export const isErrno = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

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
