import { z } from 'zod';
import { instanceSchema } from '../model.js';
import { deploymentSafetySchema } from '../provider-details.js';
import { procedure } from './define.js';
import { environmentRef } from './pipelines.js';

/** Where to look in AWS: a named profile (absent: the default credential chain) and a region. */
export const awsLocationSchema = z.object({
  profile: z.string().trim().min(1).max(128).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use an AWS region name such as eu-west-1'),
});

export type AwsLocation = z.infer<typeof awsLocationSchema>;

export const awsIdentitySchema = z.object({
  account: z.string(),
  arn: z.string(),
  userId: z.string(),
  profile: z.string().optional(),
  region: z.string(),
});
export type AwsIdentity = z.infer<typeof awsIdentitySchema>;

export const discoveredServiceSchema = z.object({
  name: z.string(),
  arn: z.string(),
  status: z.string(),
  /** `family:revision` the service runs. */
  taskDefinition: z.string().optional(),
  desiredCount: z.number().int(),
  runningCount: z.number().int(),
  launchType: z.string().optional(),
});

export const discoveredClusterSchema = z.object({
  name: z.string(),
  arn: z.string(),
  services: z.array(discoveredServiceSchema),
});
export type DiscoveredCluster = z.infer<typeof discoveredClusterSchema>;

export const runResultSchema = z.object({
  /** The command's exit code; -1 when it never ran (the task failed to start). */
  exitCode: z.number().int(),
  /** The tail of its output. */
  output: z.array(z.string()),
});
export type RunResult = z.infer<typeof runResultSchema>;

export { deploymentSafetySchema, type DeploymentSafety } from '../provider-details.js';

export const madeDeploysSafeSchema = deploymentSafetySchema.extend({
  /** False when the service was already safe and nothing was sent. */
  changed: z.boolean(),
});
export type MadeDeploysSafe = z.infer<typeof madeDeploysSafeSchema>;

export const awsProcedures = {
  'aws.whoami': procedure(
    'Who the AWS credentials of a profile are (account, ARN).',
    awsLocationSchema,
    awsIdentitySchema,
  ),
  'aws.discover': procedure(
    'ECS clusters and their services visible to a profile in a region, to bind an environment.',
    awsLocationSchema,
    z.object({ clusters: z.array(discoveredClusterSchema) }),
  ),
  // The instance procedures work for every provider; they live here with the rest of the ECS surface.
  'instances.list': procedure(
    "An environment's instances (ECS: the service's tasks).",
    environmentRef,
    z.array(instanceSchema),
  ),
  'instances.kill': procedure(
    'Stop one instance; the environment replaces it.',
    environmentRef.extend({ instance: z.string().min(1).max(256), reason: z.string().trim().max(200).optional() }),
    z.object({ instance: z.string() }),
  ),
  'environments.makeDeploysSafe': procedure(
    'Make an ECS environment deploy with zero downtime and roll back a failing release by itself (minimum healthy 100%, circuit breaker with rollback).',
    environmentRef,
    madeDeploysSafeSchema,
  ),
  run: procedure(
    'Run a one-off command with the serving release and wait for it.',
    environmentRef.extend({ command: z.array(z.string().max(4_096)).min(1, 'give a command to run').max(200) }),
    runResultSchema,
  ),
};
