// Where a workspace lives: SLIPWAY_HOME, else the platform's app-data folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function resolveHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SLIPWAY_HOME) return resolve(env.SLIPWAY_HOME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Slipway');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Slipway');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'slipway');
}
