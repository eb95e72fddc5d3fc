// SLIPWAY_HOME/team.json: which team workspace this machine has joined (absent: its own workspace).
// A file of its own, so the local workspace file is never rewritten by joining or leaving.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { teamLocationSchema, type TeamLocation } from '../../shared/contract/team.js';
import { AppError } from '../../shared/errors.js';
import { tempSuffix } from '../util/temp-files.js';

const teamFileSchema = z.object({ version: z.literal(1), team: teamLocationSchema });

const fileOf = (home: string): string => join(home, 'team.json');

export async function readTeamFile(home: string): Promise<TeamLocation | undefined> {
  let text: string;
  try {
    text = await readFile(fileOf(home), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed;
  try {
    parsed = teamFileSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw new AppError(
      'INVALID_INPUT',
      `The team setting ${fileOf(home)} is not valid. Run \`slipway team:leave\` and join again.`,
    );
  }
  return parsed.data.team;
}

export async function writeTeamFile(home: string, team: TeamLocation | undefined): Promise<void> {
  if (!team) {
    await rm(fileOf(home), { force: true });
    return;
  }
  const tmp = `${fileOf(home)}${tempSuffix()}`;
  await writeFile(tmp, `${JSON.stringify({ version: 1, team }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, fileOf(home));
}
