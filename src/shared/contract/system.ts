import { z } from 'zod';
import { actorSchema } from '../model.js';
import { procedure } from './define.js';

export const systemInfoSchema = z.object({
  version: z.string(),
  actor: actorSchema,
  /** Where the workspace lives (SLIPWAY_HOME). */
  home: z.string(),
  /** Where the shared activity feed is kept, as a person would name it. */
  auditStore: z.string(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const systemProcedures = {
  'system.info': procedure('Version, who you act as, where the workspace lives.', z.object({}), systemInfoSchema),
};
