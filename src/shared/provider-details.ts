// What `pipelines.status` says about an environment beyond releases and instances, per provider kind:
// one discriminated union, so the window, the CLI and API clients read typed facts instead of a record.
import { z } from 'zod';

/** How an ECS service rolls out, as `pipelines.status` reports it in `details.deploymentSafety`. */
export const deploymentSafetySchema = z.object({
  /** Below 100, ECS may stop serving tasks before their replacements are healthy. */
  minimumHealthyPercent: z.number().int(),
  /** At 100 or less, with minimum healthy 100, ECS has no room to start a replacement first. */
  maximumPercent: z.number().int(),
  circuitBreaker: z.object({ enable: z.boolean(), rollback: z.boolean() }),
  /** Zero-downtime rollouts, and a failing release rolls back by itself. */
  safe: z.boolean(),
});
export type DeploymentSafety = z.infer<typeof deploymentSafetySchema>;

const count = z.number().int().nonnegative();

export const localDetailsSchema = z.object({
  kind: z.literal('local'),
  /** The reverse proxy's pid while it runs. */
  proxyPid: z.number().int().optional(),
  /** The release the proxy routes to (serving.json). */
  servingVersion: z.number().int().optional(),
  /** The folder holding the instances' log files. */
  logs: z.string().optional(),
});
export type LocalDetails = z.infer<typeof localDetailsSchema>;

export const ecsDeploymentSchema = z.object({
  id: z.string().optional(),
  /** PRIMARY (the newest), ACTIVE (older, still running tasks) or INACTIVE. */
  status: z.string().optional(),
  taskDefinition: z.string().optional(),
  /** The Slipway release the revision is, when it is one. */
  version: z.number().int().optional(),
  rolloutState: z.string().optional(),
  rolloutStateReason: z.string().optional(),
  desired: count,
  running: count,
  pending: count,
  failed: count,
  createdAt: z.string().optional(),
});
export type EcsDeployment = z.infer<typeof ecsDeploymentSchema>;

export const ecsDetailsSchema = z.object({
  kind: z.literal('aws-ecs'),
  cluster: z.string(),
  service: z.string(),
  region: z.string().optional(),
  /** `family:revision` the service serves. */
  taskDefinition: z.string().optional(),
  /** The app container's image as it runs (a digest when ECS resolved one). */
  image: z.string().optional(),
  launchType: z.string().optional(),
  desiredCount: count,
  runningCount: count,
  pendingCount: count,
  /** The PRIMARY deployment's rollout state. */
  rollout: z.string().optional(),
  deploymentSafety: deploymentSafetySchema,
  deployments: z.array(ecsDeploymentSchema),
  /** The service's newest events, newest first. */
  events: z.array(z.object({ at: z.string().optional(), message: z.string().optional() })),
});
export type EcsDetails = z.infer<typeof ecsDetailsSchema>;

export const providerDetailsSchema = z.discriminatedUnion('kind', [localDetailsSchema, ecsDetailsSchema]);
export type ProviderDetails = z.infer<typeof providerDetailsSchema>;

/** The ECS facts, or undefined for another provider's environment. */
export const ecsDetailsOf = (details: ProviderDetails | undefined): EcsDetails | undefined =>
  details?.kind === 'aws-ecs' ? details : undefined;
