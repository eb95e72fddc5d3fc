// The ECS facts `pipelines.status` puts in an environment's `details`, read with a schema: the field is
// provider-specific and typed `unknown` on the wire, so it is parsed here rather than cast.
import { z } from 'zod';
import type { PublicRelease } from '../../../shared/model.js';

const count = z.number().int().nonnegative().catch(0);

const ecsDeploymentSchema = z.object({
  id: z.string().optional(),
  /** PRIMARY (the newest), ACTIVE (older, still running tasks) or INACTIVE. */
  status: z.string().optional(),
  taskDefinition: z.string().optional(),
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
  cluster: z.string().optional(),
  service: z.string().optional(),
  region: z.string().optional(),
  /** `family:revision` the service serves. */
  taskDefinition: z.string().optional(),
  launchType: z.string().optional(),
  desiredCount: count,
  runningCount: count,
  pendingCount: count,
  deployments: z.array(ecsDeploymentSchema).catch([]),
  events: z.array(z.object({ at: z.string().optional(), message: z.string().optional() })).catch([]),
});
export type EcsDetails = z.infer<typeof ecsDetailsSchema>;

/** Undefined when the details are missing or not the ECS shape (a newer or older server). */
export function parseEcsDetails(details: unknown): EcsDetails | undefined {
  const parsed = ecsDetailsSchema.safeParse(details);
  return parsed.success ? parsed.data : undefined;
}

/** `shop-web-staging:12` → `{ family: 'shop-web-staging', revision: '12' }`. */
export function splitTaskDefinition(td: string): { family: string; revision: string | undefined } {
  const colon = td.lastIndexOf(':');
  if (colon <= 0) return { family: td, revision: undefined };
  return { family: td.slice(0, colon), revision: td.slice(colon + 1) };
}

/** `repo@sha256:0123456789abcdef…` → `sha256:0123456789ab`; the full reference stays in a tooltip. */
export function shortDigest(imageRef: string): string | undefined {
  const match = /@(sha256:[0-9a-f]{12})[0-9a-f]*$/i.exec(imageRef);
  return match?.[1];
}

/** The image a release runs: the only one, or the first by container name when there are several. */
export function releaseImage(release: PublicRelease | undefined): string | undefined {
  if (release?.artifact.kind !== 'images') return undefined;
  const names = Object.keys(release.artifact.images).sort();
  const first = names[0];
  return first === undefined ? undefined : release.artifact.images[first];
}

/** ECS task ids are 32 hex characters; the first 8 tell tasks apart, as the ECS console does. */
export const shortTaskId = (id: string): string => (/^[0-9a-f]{32}$/i.test(id) ? id.slice(0, 8) : id);

export type BadgeTone = 'success' | 'warning' | 'danger' | 'accent' | 'neutral';

export const rolloutTone = (state: string | undefined): BadgeTone =>
  state === 'COMPLETED' ? 'success' : state === 'FAILED' ? 'danger' : state === 'IN_PROGRESS' ? 'warning' : 'neutral';
