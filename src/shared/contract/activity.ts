import { z } from 'zod';
import { activityStoreSchema, auditEventSchema, nameSchema } from '../model.js';
import { procedure, stream } from './define.js';

const filter = z.object({ pipeline: nameSchema.optional(), environment: nameSchema.optional() });

export const activityPageSchema = z.object({
  events: z.array(auditEventSchema),
  /** Pass back to read the next (older) page; absent on the last page. */
  cursor: z.string().optional(),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;

export const activityProcedures = {
  'activity.setStore': procedure(
    "Keep the workspace's activity feed in a local folder or a team's S3 bucket (checked before it is saved).",
    activityStoreSchema,
    z.object({ description: z.string(), restartNeeded: z.boolean() }),
  ),
  'activity.list': procedure(
    'The shared activity feed, newest first.',
    filter.extend({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().optional() }),
    activityPageSchema,
  ),
};

export const activityStreams = {
  'activity.watch': stream('New activity as it is written.', filter, auditEventSchema),
};
