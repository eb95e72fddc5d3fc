import { z } from 'zod';
import { deploymentSchema, publicConfigVarSchema, versionSchema } from '../model.js';
import { procedure } from './define.js';
import { environmentRef } from './pipelines.js';

/** Env-var rules: POSIX-style names, bounded sizes, so a typo cannot reach a running app. */
export const configKeySchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'a config key uses letters, digits and underscores, and does not start with a digit',
  )
  .max(256, 'a config key is at most 256 characters')
  // A plain object cannot hold `__proto__` as data (parsers drop it or change the prototype): refused here,
  // so it can never be half-saved.
  .refine((key) => key !== '__proto__', '__proto__ is reserved and cannot be a config key');
// A NUL byte cannot live in a process environment; refused here, it never reaches a spawn (whose error
// would quote the value).
export const configValueSchema = z
  .string()
  .max(32_768, 'a config value is at most 32 KiB')
  .refine((value) => !value.includes('\0'), 'a config value cannot contain a NUL character');
export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * The release whose config a change was based on (what the editor or the CLI read). If a key the change
 * touches has another value now, the change is refused with CONFLICT instead of overwriting it.
 */
const baseVersion = versionSchema.optional();

export const configSnapshotSchema = z.object({
  /** The release this config belongs to; absent before the first release. */
  version: versionSchema.optional(),
  vars: z.array(publicConfigVarSchema),
});
export type ConfigSnapshot = z.infer<typeof configSnapshotSchema>;

export const configProcedures = {
  'config.get': procedure(
    "An environment's config. Secret values are never returned.",
    environmentRef,
    z.array(publicConfigVarSchema),
  ),
  'config.snapshot': procedure(
    "An environment's config and the release it belongs to, to base a change on. Secret values are never returned.",
    environmentRef,
    configSnapshotSchema,
  ),
  'config.set': procedure(
    'Set config vars; makes a release and deploys it.',
    environmentRef.extend({
      vars: z
        .array(z.object({ key: configKeySchema, value: configValueSchema, secret: z.boolean().optional() }))
        .min(1, 'give at least one KEY=VALUE'),
      baseVersion,
    }),
    deploymentSchema,
  ),
  'config.unset': procedure(
    'Remove config vars; makes a release and deploys it.',
    environmentRef.extend({ keys: z.array(configKeySchema).min(1, 'give at least one key'), baseVersion }),
    deploymentSchema,
  ),
};
