// Which release the proxy routes to, written once the proxy has confirmed a swap.
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from './files.js';
import type { EnvironmentPaths } from './paths.js';

export const servingSchema = z.object({ version: z.number().int(), instances: z.array(z.string()), at: z.string() });
export type Serving = z.infer<typeof servingSchema>;

export async function readServing(paths: EnvironmentPaths): Promise<Serving | undefined> {
  const parsed = servingSchema.safeParse(await readJsonFile(paths.serving));
  return parsed.success ? parsed.data : undefined;
}

export const writeServing = (paths: EnvironmentPaths, serving: Serving): Promise<void> =>
  writeJsonAtomic(paths.serving, serving);
