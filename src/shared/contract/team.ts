import { z } from 'zod';
import { actorSchema } from '../model.js';
import { procedure } from './define.js';

/** A team workspace: pipelines, settings, activity and deploy leases under one S3 prefix. */
export const teamLocationSchema = z.object({
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'use an S3 bucket name (3–63 lowercase letters, digits, dots, dashes)',
    ),
  prefix: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9!_.*'()/-]*$/, "use letters, digits, / and - _ . ! * ' ( ) in the prefix")
    .optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use an AWS region name such as eu-west-1'),
  profile: z.string().trim().min(1).max(128).optional(),
});
export type TeamLocation = z.infer<typeof teamLocationSchema>;

/** Who holds (or waits for) an environment's deploy lease, and for what. */
export const leaseHolderSchema = z.object({
  actor: actorSchema,
  /** "Promote staging → production". */
  summary: z.string(),
  deploymentId: z.string(),
  startedAt: z.string(),
});
export type LeaseHolder = z.infer<typeof leaseHolderSchema>;

export const environmentLeaseSchema = z.object({
  pipeline: z.string(),
  environment: z.string(),
  holder: leaseHolderSchema,
  expiresAt: z.string(),
  /** Deploys waiting for the lease, in the order they will run. */
  waiting: z.array(leaseHolderSchema),
});
export type EnvironmentLease = z.infer<typeof environmentLeaseSchema>;

export const teamStatusSchema = z.object({
  /** Absent while the workspace is this machine's own. */
  team: teamLocationSchema.optional(),
  /** "s3://bucket/prefix/" or the local folder. */
  description: z.string(),
  /** Activity events written locally while S3 could not be reached, not yet uploaded. */
  spooled: z.number().int().nonnegative(),
  /** Deploy leases held right now (team workspaces only). */
  leases: z.array(environmentLeaseSchema),
});
export type TeamStatus = z.infer<typeof teamStatusSchema>;

export const teamProcedures = {
  'team.status': procedure(
    'Whether this workspace is a team one, events waiting to upload, and deploy leases held.',
    z.object({}),
    teamStatusSchema,
  ),
  'team.join': procedure(
    "Use a team's workspace in S3 (pipelines, settings, activity, deploy leases); checked before it is saved.",
    teamLocationSchema,
    z.object({ description: z.string(), pipelines: z.number().int().nonnegative() }),
  ),
  'team.leave': procedure(
    "Go back to this machine's own workspace; the team's bucket is left as it is.",
    z.object({}),
    z.object({ description: z.string() }),
  ),
};
