// Instances of an environment: detached processes (own group, output to a log file) with a record
// each, so any Slipway process can see and stop them.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Release } from '../../../shared/model.js';
import { childEnv } from './child-env.js';
import { isErrno, readJsonFile, writeJsonAtomic } from './files.js';
import type { EnvironmentPaths } from './paths.js';
import { liveLogFile } from './log-files.js';
import { pruneLogDir } from './log-source.js';
import { freePort } from './processes.js';

export const instanceRecordSchema = z.object({
  id: z.string(),
  pid: z.number().int(),
  port: z.number().int(),
  releaseVersion: z.number().int(),
  startedAt: z.string(),
  logFile: z.string(),
  draining: z.boolean().optional(),
});
export type InstanceRecord = z.infer<typeof instanceRecordSchema>;

export interface StartedInstance {
  readonly record: InstanceRecord;
  /** Set when the process has exited (seen only by the process that started it). */
  exitCode(): number | null | undefined;
}

const recordFile = (paths: EnvironmentPaths, id: string): string => join(paths.instances, `${id}.json`);

export async function listInstanceRecords(paths: EnvironmentPaths): Promise<InstanceRecord[]> {
  let names: string[];
  try {
    names = await readdir(paths.instances);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
  const records = await Promise.all(
    names
      .filter((name) => name.endsWith('.json'))
      .map(async (name) => instanceRecordSchema.safeParse(await readJsonFile(join(paths.instances, name)))),
  );
  return records.flatMap((parsed) => (parsed.success ? [parsed.data] : [])).sort((a, b) => a.id.localeCompare(b.id));
}

export const writeInstanceRecord = (paths: EnvironmentPaths, record: InstanceRecord): Promise<void> =>
  writeJsonAtomic(recordFile(paths, record.id), record);
export const removeInstanceRecord = (paths: EnvironmentPaths, id: string): Promise<void> =>
  rm(recordFile(paths, id), { force: true });

export interface StartOptions {
  readonly paths: EnvironmentPaths;
  readonly release: Release;
  readonly slugDir: string;
  readonly command: string;
  readonly index: number;
  readonly environment: string;
  /** The bundled instance supervisor (local-instance.js, next to the proxy daemon). */
  readonly supervisorScript: string;
}

/**
 * A simple command is exec'd by the shell, so the app itself leads its process group: signals reach
 * it directly and no shell lingers between it and whoever reaps it.
 */
export function shellCommand(command: string): string {
  return process.platform !== 'win32' && !/[;&|<>()$`\\\n*?{}[\]!#~]/.test(command) && !/^\s*exec\s/.test(command)
    ? `exec ${command}`
    : command;
}

export async function startInstance(options: StartOptions): Promise<StartedInstance> {
  const { paths, release } = options;
  await mkdir(paths.instances, { recursive: true });
  await mkdir(paths.logs, { recursive: true });
  const id = `v${release.version}.web.${options.index}.${randomBytes(2).toString('hex')}`;
  const port = await freePort();
  const logFile = liveLogFile(paths.logs, id);
  await pruneLogDir(paths.logs, new Set((await listInstanceRecords(paths)).map((record) => record.id)));
  let exit: number | null | undefined;
  // The supervisor leads a new process group (detached: alive after this process exits, stoppable as
  // a whole), runs the app in it and writes its output to a rotated log.
  const child = spawn(
    process.execPath,
    [
      options.supervisorScript,
      '--log',
      logFile,
      '--record',
      recordFile(paths, id),
      '--',
      shellCommand(options.command),
    ],
    {
      cwd: options.slugDir,
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
      env: childEnv(release.config, {
        // Under Electron, execPath is the app binary; this makes it behave as plain Node (the supervisor drops it for the app).
        ELECTRON_RUN_AS_NODE: '1',
        ...(process.env.SLIPWAY_LOG_MAX_BYTES ? { SLIPWAY_LOG_MAX_BYTES: process.env.SLIPWAY_LOG_MAX_BYTES } : {}),
        PORT: String(port),
        SLIPWAY_RELEASE_VERSION: String(release.version),
        SLIPWAY_ENVIRONMENT: options.environment,
        SLIPWAY_INSTANCE: id,
        ...(release.sha ? { SOURCE_VERSION: release.sha } : {}),
      }),
    },
  );
  child.once('exit', (code, signal) => (exit = code ?? (signal ? -1 : null)));
  child.once('error', () => (exit = -1));
  child.unref();
  if (child.pid === undefined) exit = -1;
  const record: InstanceRecord = {
    id,
    pid: child.pid ?? -1,
    port,
    releaseVersion: release.version,
    startedAt: new Date().toISOString(),
    logFile,
  };
  await writeInstanceRecord(paths, record);
  return { record, exitCode: () => exit };
}
