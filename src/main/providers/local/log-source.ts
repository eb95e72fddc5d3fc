// Reads local instances' log files: a live tail that follows each file across rotation, and a
// search over every generation kept. A line's id is `<instance>:<inode>:<byte offset>`, the same
// whichever way it was read.
import { watch, type FSWatcher } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogPage } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { LogLine } from '../../../shared/model.js';
import type { LogQuery, LogSearchQuery, LogTailChunk } from '../capabilities.js';
import { isErrno } from './files.js';
import { logFileName, parseLine, releaseOfInstance } from './log-files.js';

/** How often files are looked at when no change notice came (some file systems send none). */
const POLL_MS = 250;
/** Most bytes read from one file in one go. */
const READ_BYTES = 4 * 1024 * 1024;
/** Logs of instances that are gone are kept for this many instances, newest first. */
export const KEEP_STOPPED_INSTANCES = 20;

interface LogFile {
  readonly instance: string;
  readonly generation: number;
  readonly path: string;
}

async function logFiles(dir: string): Promise<LogFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
  return names.flatMap((name) => {
    const parsed = logFileName(name);
    return parsed ? [{ ...parsed, path: join(dir, name) }] : [];
  });
}

const matches = (query: LogQuery, instance: string, text: string): boolean =>
  (query.instance === undefined || instance === query.instance) &&
  (query.filter === undefined || text.toLowerCase().includes(query.filter.toLowerCase()));

/** Whole lines in `bytes` (read at `start` of the file with inode `ino`); the bytes of a last partial line are left. */
function linesOf(
  bytes: Buffer,
  start: number,
  instance: string,
  ino: number,
  fallbackTime: string,
): { lines: LogLine[]; consumed: number } {
  const lines: LogLine[] = [];
  const release = releaseOfInstance(instance);
  let from = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, from)) {
    const raw = bytes.toString('utf8', from, end).replace(/\r$/, '');
    const parsed = parseLine(raw, fallbackTime);
    lines.push({
      id: `${instance}:${ino}:${start + from}`,
      time: parsed.time,
      instance,
      ...(release === undefined ? {} : { release }),
      stream: parsed.stream,
      text: parsed.text,
    });
    from = end + 1;
  }
  return { lines, consumed: from };
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const length = Math.min(end - start, READ_BYTES);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface Followed {
  ino: number;
  offset: number;
}

/**
 * Lines as instances write them. Each live file is followed by inode: when it rotates, the rest of the
 * old file (now `.log.1`) is read before the new one, so nothing written in between is lost.
 */
export async function* tailLogDir(dir: string, query: LogQuery, signal: AbortSignal): AsyncIterable<LogTailChunk> {
  const followed = new Map<string, Followed>();
  const sinceMs = query.since ? Date.parse(query.since) : undefined;
  let wake: (() => void) | undefined;
  let dirty: boolean;
  const poke = (): void => {
    dirty = true;
    wake?.();
  };
  let watcher: FSWatcher | undefined;
  const startWatching = (): void => {
    if (watcher) return;
    try {
      watcher = watch(dir, { persistent: false }, poke);
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // No folder yet (nothing has run): polling finds it.
    }
  };
  signal.addEventListener('abort', poke, { once: true });

  const readFrom = async (path: string, instance: string, state: Followed, size: number): Promise<LogLine[]> => {
    const out: LogLine[] = [];
    while (state.offset < size && !signal.aborted) {
      const bytes = await readRange(path, state.offset, size);
      if (bytes.length === 0) break;
      const { lines, consumed } = linesOf(bytes, state.offset, instance, state.ino, new Date().toISOString());
      if (consumed === 0) break;
      state.offset += consumed;
      for (const line of lines) {
        if (sinceMs !== undefined && Date.parse(line.time) < sinceMs) continue;
        if (matches(query, instance, line.text)) out.push(line);
      }
    }
    return out;
  };

  let first = true;
  try {
    while (!signal.aborted) {
      startWatching();
      dirty = false;
      const batch: LogLine[] = [];
      const files = await logFiles(dir);
      for (const file of files) {
        if (file.generation !== 0) continue;
        if (query.instance !== undefined && file.instance !== query.instance) continue;
        let info;
        try {
          info = await stat(file.path);
        } catch {
          continue;
        }
        let state = followed.get(file.instance);
        if (state && state.ino !== info.ino) {
          // Rotated: finish the old file where it now lives, then start the new one from its top.
          for (const older of files) {
            if (older.instance !== file.instance || older.generation === 0) continue;
            const olderInfo = await stat(older.path).catch(() => undefined);
            if (olderInfo?.ino === state.ino)
              batch.push(...(await readFrom(older.path, file.instance, state, olderInfo.size)));
          }
          state = undefined;
        }
        if (!state) {
          // Files there at the start are followed from their end (or from `since`); new ones from the top.
          state = { ino: info.ino, offset: first && sinceMs === undefined ? info.size : 0 };
          followed.set(file.instance, state);
        }
        if (info.size < state.offset) state.offset = 0;
        batch.push(...(await readFrom(file.path, file.instance, state, info.size)));
      }
      first = false;
      if (batch.length > 0) {
        batch.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
        yield { type: 'lines', lines: batch };
      }
      if (!dirty && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  } finally {
    watcher?.close();
    signal.removeEventListener('abort', poke);
  }
}

const cursorOf = (line: LogLine): string => Buffer.from(JSON.stringify([line.time, line.id])).toString('base64url');

function parseCursor(token: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // Fall through to the error below.
  }
  throw new AppError('INVALID_INPUT', 'The page token is not one this search gave out; start the search again.');
}

/** Newest first: by time, then by id so lines of one instant keep a stable order across pages. */
const newestFirst = (a: LogLine, b: LogLine): number =>
  a.time < b.time ? 1 : a.time > b.time ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Lines in the time range over every generation kept, newest first, a page at a time. */
export async function searchLogDir(dir: string, query: LogSearchQuery): Promise<LogPage> {
  const cursor = query.nextToken === undefined ? undefined : parseCursor(query.nextToken);
  const found: LogLine[] = [];
  for (const file of await logFiles(dir)) {
    if (query.instance !== undefined && file.instance !== query.instance) continue;
    let info;
    try {
      info = await stat(file.path);
    } catch {
      continue;
    }
    // A file last written before the range starts holds nothing in it.
    if (info.mtime.toISOString() < query.since) continue;
    let offset = 0;
    while (offset < info.size) {
      const bytes = await readRange(file.path, offset, info.size);
      const { lines, consumed } = linesOf(bytes, offset, file.instance, info.ino, info.mtime.toISOString());
      for (const line of lines) {
        if (line.time < query.since || line.time > query.until) continue;
        if (cursor && newestFirst(line, { ...line, time: cursor[0], id: cursor[1] }) <= 0) continue;
        if (matches(query, file.instance, line.text)) found.push(line);
      }
      if (consumed === 0) break;
      offset += consumed;
    }
  }
  found.sort(newestFirst);
  const lines = found.slice(0, query.limit);
  const last = lines.at(-1);
  return found.length > query.limit && last ? { lines, nextToken: cursorOf(last) } : { lines };
}

/** Drops the logs of instances that are gone, beyond the newest `keep` of them. */
export async function pruneLogDir(
  dir: string,
  running: ReadonlySet<string>,
  keep = KEEP_STOPPED_INSTANCES,
): Promise<void> {
  const files = await logFiles(dir);
  const newest = new Map<string, number>();
  await Promise.all(
    files.map(async (file) => {
      if (running.has(file.instance)) return;
      const info = await stat(file.path).catch(() => undefined);
      if (info) newest.set(file.instance, Math.max(newest.get(file.instance) ?? 0, info.mtimeMs));
    }),
  );
  const gone = [...newest.entries()].sort((a, b) => b[1] - a[1]).slice(keep);
  const drop = new Set(gone.map(([instance]) => instance));
  await Promise.all(files.filter((file) => drop.has(file.instance)).map((file) => rm(file.path, { force: true })));
}
