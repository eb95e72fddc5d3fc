import { spawnSync } from 'node:child_process';

/** The pid of a process that has exited: what a writer killed mid-write leaves in its temp file's name. */
export const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
