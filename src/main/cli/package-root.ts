// Where the installed package lives (for the version and dist/renderer), whichever bundle chunk asks.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

let cached: PackageInfo | undefined;

export function packageInfo(from: string = fileURLToPath(import.meta.url)): PackageInfo {
  if (cached) return cached;
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (json.name === 'slipway' && typeof json.version === 'string') {
        cached = { root: dir, version: json.version };
        return cached;
      }
    }
    if (dirname(dir) === dir) throw new Error('Slipway cannot find its own package.json; reinstall it.');
  }
}

export const rendererDir = (): string => join(packageInfo().root, 'dist', 'renderer');
