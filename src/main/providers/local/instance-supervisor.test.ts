// The built instance supervisor (dist/main/local-instance.js) on its own: an instance whose starter died
// before writing its record stops by itself; a recorded one keeps running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const supervisor = resolve(fileURLToPath(new URL('../../../..', import.meta.url)), 'dist/main/local-instance.js');
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (await check()) return true;
  }
  return check();
};

let dir: string;
let started: ChildProcess | undefined;
afterEach(async () => {
  if (started?.pid && alive(started.pid)) process.kill(-started.pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ supervisor: ChildProcess; appPid: number; record: string; log: string }> {
  dir = await mkdtemp(join(tmpdir(), 'slipway-supervisor-'));
  const record = join(dir, 'v1.web.1.abcd.json');
  const log = join(dir, 'v1.web.1.abcd.log');
  const pidFile = join(dir, 'app.pid');
  started = spawn(
    process.execPath,
    [supervisor, '--log', log, '--record', record, '--', `echo $$ > ${pidFile}; exec sleep 600`],
    { detached: true, stdio: 'ignore', env: { ...process.env, SLIPWAY_RECORD_CHECK_MS: '500' } },
  );
  expect(await until(() => existsSync(pidFile), 5_000)).toBe(true);
  const appPid = Number((await readFile(pidFile, 'utf8')).trim());
  return { supervisor: started, appPid, record, log };
}

describe.skipIf(!existsSync(supervisor) || process.platform === 'win32')('local instance supervisor', () => {
  it('stops its app and leaves when no instance record names it (its starter died first)', async () => {
    const { supervisor: child, appPid, log } = await start();
    expect(alive(appPid)).toBe(true);
    expect(await until(() => !alive(appPid) && child.exitCode !== null, 5_000)).toBe(true);
    expect(await readFile(log, 'utf8')).toContain('no instance record names this process');
  });

  it('keeps a recorded instance running', async () => {
    const { supervisor: child, appPid, record } = await start();
    await writeFile(record, JSON.stringify({ id: 'v1.web.1.abcd', pid: child.pid }));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(alive(appPid)).toBe(true);
    expect(child.exitCode).toBeNull();
  });
});
