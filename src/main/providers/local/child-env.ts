// The environment app processes get: a few basics from ours plus the release's config. Slipway's own
// environment (tokens, cloud credentials) is not passed on.
import type { Config } from '../../../shared/model.js';

const inherited = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'COMSPEC',
  'PATHEXT',
  'WINDIR',
];
const envKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function childEnv(config: Config | undefined, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of inherited) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  for (const [key, variable] of Object.entries(config ?? {})) {
    if (envKey.test(key)) env[key] = variable.value;
  }
  return { ...env, ...extra };
}
