// Who acts: the OS user and git's user.email. Read once per process, lazily (CLI cold start).
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import type { Actor } from '../../shared/model.js';

const run = promisify(execFile);
let cached: Promise<Actor> | undefined;

export function currentActor(): Promise<Actor> {
  cached ??= (async () => {
    const user = process.env.SLIPWAY_ACTOR ?? safeUser();
    try {
      const { stdout } = await run('git', ['config', '--get', 'user.email'], { timeout: 3_000 });
      const email = stdout.trim();
      return email ? { user, email } : { user };
    } catch {
      return { user };
    }
  })();
  return cached;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
