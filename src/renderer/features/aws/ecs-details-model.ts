// Helpers for showing the ECS facts `pipelines.status` reports in an environment's `details` (typed by
// the contract: src/shared/provider-details.ts).
import type { PublicRelease } from '../../../shared/model.js';

export { ecsDetailsOf, type EcsDeployment, type EcsDetails } from '../../../shared/provider-details.js';

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
