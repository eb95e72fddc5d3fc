// slipway.json at the root of the app: how to build it, run its release phase and serve it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { isErrno } from './files.js';

export const manifestSchema = z.object({
  build: z.string().min(1).optional(),
  release: z.string().min(1).optional(),
  web: z.string().min(1).optional(),
});
export type AppManifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = 'slipway.json';

/** The manifest in an app folder; an app without one has no commands. */
export async function readManifest(dir: string, label: string): Promise<AppManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', `${MANIFEST_FILE} in ${label} is not valid JSON. Fix it and commit again.`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError(
      'INVALID_INPUT',
      `${MANIFEST_FILE} in ${label} must map "build", "release" and "web" to command strings.`,
    );
  }
  return result.data;
}
