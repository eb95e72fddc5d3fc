// `home/server.json` tells the CLI and scripts where a running loopback server is. It holds the token,
// so it is written owner-only and removed on exit (only by the process that wrote it).
import { readFile, rename, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { tempSuffix } from '../util/temp-files.js';

export const serverFileSchema = z.object({
  url: z.string(),
  origin: z.string(),
  port: z.number().int(),
  token: z.string(),
  pid: z.number().int(),
  /** Who runs it: the window or `slipway serve`. */
  by: z.enum(['app', 'serve']),
  startedAt: z.string(),
});
export type ServerFile = z.infer<typeof serverFileSchema>;

export const serverFilePath = (home: string): string => join(home, 'server.json');

export async function writeServerFile(home: string, info: ServerFile): Promise<void> {
  await mkdir(home, { recursive: true });
  const path = serverFilePath(home);
  const temp = `${path}${tempSuffix()}`;
  await writeFile(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFile is masked by umask; make sure.
  await chmod(temp, 0o600);
  await rename(temp, path);
}

export async function readServerFile(home: string): Promise<ServerFile | undefined> {
  try {
    return serverFileSchema.parse(JSON.parse(await readFile(serverFilePath(home), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Removes the file only if this process wrote it: a second server may have taken over. */
export async function removeServerFile(home: string, pid = process.pid): Promise<void> {
  const current = await readServerFile(home);
  if (current?.pid === pid) await rm(serverFilePath(home), { force: true });
}
