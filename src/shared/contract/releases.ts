import { z } from 'zod';
import { commitSchema, deploymentSchema, nameSchema, publicReleaseSchema, versionSchema } from '../model.js';
import { procedure, stream } from './define.js';
import { environmentRef, pipelineRef } from './pipelines.js';

const reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(500);

export const releaseListItemSchema = publicReleaseSchema.extend({
  current: z.boolean(),
  /** Whether "roll back to this" is allowed now, and if not, why. */
  rollback: z.object({
    allowed: z.boolean(),
    /** Set when a later release is marked no-rollback: an override reason can still allow it. */
    blockedBy: z.object({ version: versionSchema, reason: z.string() }).optional(),
    /** A sentence when it is not allowed at all (the current release, a failed release). */
    reason: z.string().optional(),
  }),
});
export type ReleaseListItem = z.infer<typeof releaseListItemSchema>;

export const promotePreviewSchema = z.object({
  from: z.object({ environment: z.string(), release: publicReleaseSchema.optional() }),
  to: z.object({ environment: z.string(), release: publicReleaseSchema.optional() }),
  /** Commits in `from` not yet in `to`, newest first. */
  commits: z.array(commitSchema),
  /** Unified diff (git diff format) between the two SHAs. */
  diff: z.string(),
  /** True when the diff was cut to keep the dialog fast. */
  diffTruncated: z.boolean(),
  /** GitHub compare page, when the repository's remote is on GitHub. */
  compareUrl: z.string().optional(),
  /** Why commits/diff are missing, when they are (no repo, unknown SHA). */
  note: z.string().optional(),
});
export type PromotePreview = z.infer<typeof promotePreviewSchema>;

export const releaseProcedures = {
  'releases.list': procedure(
    'Release history of an environment, newest first: the newest `limit`, or those older than `before`.',
    environmentRef.extend({
      limit: z.number().int().min(1).max(500).default(20),
      /** Only releases older than this version (the next page: the lowest version of the last one). */
      before: versionSchema.optional(),
    }),
    z.array(releaseListItemSchema),
  ),
  'releases.markNoRollback': procedure(
    'Mark a release so nothing rolls back across it without a typed reason.',
    environmentRef.extend({ version: versionSchema, reason }),
    publicReleaseSchema,
  ),
  deploy: procedure(
    'Build (once per commit) and deploy a git ref to an environment.',
    environmentRef.extend({
      ref: z.string().min(1).max(200),
      noRollbackReason: reason.optional(),
    }),
    deploymentSchema,
  ),
  'promote.preview': procedure(
    'What a promote would ship: commits, file diff, compare link.',
    pipelineRef.extend({ from: nameSchema, to: nameSchema }),
    promotePreviewSchema,
  ),
  promote: procedure(
    "Ship the source environment's artifact with the target's own config. No rebuild.",
    pipelineRef.extend({
      from: nameSchema,
      to: nameSchema,
      /** The source release that was reviewed; if the source runs another one now, CONFLICT. */
      sourceVersion: versionSchema.optional(),
      noRollbackReason: reason.optional(),
    }),
    deploymentSchema,
  ),
  rollback: procedure(
    'A new release copying an earlier release (default: the previous one).',
    environmentRef.extend({ to: versionSchema.optional(), overrideReason: reason.optional() }),
    deploymentSchema,
  ),
  'deployments.abort': procedure(
    'Stop the deploy running in an environment; what was serving keeps serving.',
    environmentRef,
    deploymentSchema,
  ),
  'deployments.list': procedure(
    'Queued, running and recent deployments, newest first.',
    pipelineRef.extend({ environment: nameSchema.optional() }),
    z.array(deploymentSchema),
  ),
};

export const releaseStreams = {
  'deployments.watch': stream(
    'Every change to a deployment (queued, each step, finished).',
    z.object({
      pipeline: nameSchema.optional(),
      /** Only deploys run by the Slipway answering (the CLI follows its own); default: every Slipway on this machine. */
      here: z.boolean().optional(),
    }),
    deploymentSchema,
  ),
};
