// Turning what the user named (an image tag) into an artifact pinned by digest, so a release always
// runs the exact bytes it was made with, and reading the git SHA the image was built from.
import { BatchGetImageCommand, GetDownloadUrlForLayerCommand, type ImageIdentifier } from '@aws-sdk/client-ecr';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { Artifact } from '../../../shared/model.js';
import type { EnvironmentContext, Reporter } from '../provider.js';
import { parseImageRef, pinned, type ImageRef } from './image-ref.js';
import { ecsTarget, readService, type Runtime } from './runtime.js';
import type { AwsSession } from './session.js';
import { appContainerName, buildContainers } from './task-definition.js';

const REVISION_LABEL = 'org.opencontainers.image.revision';
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

interface Manifest {
  annotations?: Record<string, string>;
  config?: { digest?: string };
  manifests?: { digest?: string; platform?: { os?: string; architecture?: string } }[];
}

interface ImageConfig {
  config?: { Labels?: Record<string, string> | null; Env?: string[] | null };
}

type EcrLocation = NonNullable<ImageRef['ecr']>;

/** The image a tag or digest names: its digest and manifest, in one call; undefined when ECR has no such image. */
async function imageOf(
  session: AwsSession,
  ecr: EcrLocation,
  imageId: ImageIdentifier,
  target: string,
): Promise<{ digest: string; manifest: Manifest | undefined } | undefined> {
  const out = await session.ecr(
    new BatchGetImageCommand({
      registryId: ecr.registryId,
      repositoryName: ecr.repository,
      imageIds: [imageId],
      acceptedMediaTypes: MANIFEST_TYPES,
    }),
    target,
  );
  const image = out.images?.[0];
  const digest = image?.imageId?.imageDigest ?? imageId.imageDigest;
  if (image === undefined || digest === undefined) return undefined;
  const raw = image.imageManifest;
  return { digest, manifest: raw === undefined ? undefined : (JSON.parse(raw) as Manifest) };
}

async function manifestOf(session: AwsSession, ecr: EcrLocation, digest: string): Promise<Manifest | undefined> {
  return (await imageOf(session, ecr, { imageDigest: digest }, `image ${ecr.repository}@${digest}`))?.manifest;
}

/** The revision label, from manifest annotations, else the image config's labels or GIT_SHA env var. */
async function revisionOf(
  rt: Runtime,
  session: AwsSession,
  ecr: EcrLocation,
  top: Manifest | undefined,
): Promise<string | undefined> {
  let manifest = top;
  const fromIndex = manifest?.annotations?.[REVISION_LABEL];
  if (fromIndex) return fromIndex;
  if (manifest?.manifests) {
    const chosen =
      manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
      manifest.manifests[0];
    manifest = chosen?.digest === undefined ? undefined : await manifestOf(session, ecr, chosen.digest);
    const annotated = manifest?.annotations?.[REVISION_LABEL];
    if (annotated) return annotated;
  }
  const configDigest = manifest?.config?.digest;
  if (configDigest === undefined) return undefined;
  const url = await session.ecr(
    new GetDownloadUrlForLayerCommand({
      registryId: ecr.registryId,
      repositoryName: ecr.repository,
      layerDigest: configDigest,
    }),
    `image config of ${ecr.repository}`,
  );
  if (url.downloadUrl === undefined) return undefined;
  const response = await rt.fetch(url.downloadUrl);
  if (!response.ok) return undefined;
  const config = ((await response.json()) as ImageConfig).config;
  const label = config?.Labels?.[REVISION_LABEL];
  if (label) return label;
  return config?.Env?.find((e) => e.startsWith('GIT_SHA='))?.slice('GIT_SHA='.length) || undefined;
}

const BARE_TAG = /^[\w][\w.-]{0,127}$/;
const BARE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * `v1.4.0` or `sha256:…` alone names an image of the repository the app container runs now, so a
 * person can deploy a tag without spelling out the registry. Undefined for a full reference.
 */
function againstRunningRepository(text: string, runningImage: string, app: string): ImageRef | undefined {
  const bare = text.trim();
  const isDigest = BARE_DIGEST.test(bare);
  if (!isDigest && !BARE_TAG.test(bare)) return undefined;
  if (runningImage === '') {
    throw new AppError(
      'INVALID_INPUT',
      `"${bare}" names no repository, and container ${app} has no image to take one from. Give the full reference, REPOSITORY:TAG.`,
    );
  }
  const running = parseImageRef(runningImage);
  return isDigest ? { ...running, tag: undefined, digest: bare } : { ...running, tag: bare, digest: undefined };
}

const fullRef = (ref: ImageRef): string =>
  ref.digest !== undefined ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag ?? 'latest'}`;

const causeName = (error: AppError): string => {
  const cause: unknown = error.cause;
  return typeof cause === 'object' && cause !== null && 'name' in cause && typeof cause.name === 'string'
    ? cause.name
    : '';
};

/** BatchGetImage reports a missing image as a failure, not an error: the same NOT_FOUND as a missing repository's. */
const notFound = (shown: string): AppError =>
  new AppError('NOT_FOUND', `ECR has no image ${shown}. Push it first, or check the tag.`);

/** ECR's "not found" in words that name the repository and the tag (or digest) that were looked up. */
function missingImage(error: unknown, ref: ImageRef, ecr: EcrLocation, display: string): unknown {
  if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') return error;
  const where = `account ${ecr.registryId}, ${ecr.region}`;
  if (causeName(error) === 'RepositoryNotFoundException') {
    return new AppError(
      'NOT_FOUND',
      `ECR has no repository ${ecr.repository} (${where}). Check the image reference, or push the image first.`,
      { cause: error, details: { repository: ecr.repository } },
    );
  }
  const what = ref.digest !== undefined ? `with digest ${ref.digest}` : `tagged ${ref.tag ?? 'latest'}`;
  return new AppError(
    'NOT_FOUND',
    `ECR repository ${ecr.repository} (${where}) has no image ${what}, so ${display} cannot be deployed. Push it first, or check the tag.`,
    {
      cause: error,
      details: {
        repository: ecr.repository,
        ...(ref.digest !== undefined ? { digest: ref.digest } : { tag: ref.tag }),
      },
    },
  );
}

/** The new image for every container of the app's build (see buildContainers). */
function buildArtifact(td: TaskDefinition, app: string, image: string): Artifact {
  return { kind: 'images', images: Object.fromEntries(buildContainers(td, app).map((name) => [name, image])) };
}

export async function resolveArtifact(
  rt: Runtime,
  ctx: EnvironmentContext,
  refText: string,
  reporter: Reporter,
): Promise<{ artifact: Artifact; sha?: string }> {
  const target = ecsTarget(ctx);
  const service = await readService(rt, ctx);
  const current = await rt.taskDefinitions.get(rt.session(target), service.taskDefinition ?? '');
  const app = appContainerName(current.td, target.service);
  const runningImage = current.td.containerDefinitions?.find((c) => c.name === app)?.image ?? '';
  const relative = againstRunningRepository(refText, runningImage, app);
  const ref = relative ?? parseImageRef(refText);
  const display = relative ? fullRef(relative) : refText;
  if (relative) reporter.log(`${refText.trim()} is in ${relative.name}, the repository container ${app} runs now`);

  if (!ref.ecr) {
    if (ref.digest === undefined) {
      throw new AppError(
        'INVALID_INPUT',
        `${display} is not in Amazon ECR, so Slipway cannot look up its digest. Give it pinned as ${ref.name}@sha256:DIGEST.`,
      );
    }
    return { artifact: buildArtifact(current.td, app, pinned(ref, ref.digest)) };
  }

  const ecr = ref.ecr;
  const session = rt.session({ profile: target.profile, region: ecr.region });
  const imageId = ref.digest !== undefined ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' };
  const shown =
    ref.digest !== undefined ? `${ecr.repository}@${ref.digest}` : `${ecr.repository}:${ref.tag ?? 'latest'}`;
  // One BatchGetImage pins the tag and reads the manifest the commit comes from.
  const image = await imageOf(session, ecr, imageId, `image ${display} in ECR`).catch((error: unknown) => {
    throw missingImage(error, ref, ecr, display);
  });
  if (image === undefined) throw missingImage(notFound(shown), ref, ecr, display);
  const digest = image.digest;
  reporter.log(`${shown} is ${digest}`);

  let sha: string | undefined;
  try {
    sha = await revisionOf(rt, session, ecr, image.manifest);
  } catch {
    // The SHA only enriches the release (commits in the promote dialog); a deploy does not need it.
    sha = undefined;
  }
  if (sha === undefined)
    reporter.log(
      `The image has no ${REVISION_LABEL} label or GIT_SHA variable, so the release will not name a commit.`,
    );
  return {
    artifact: buildArtifact(current.td, app, pinned(ref, digest)),
    ...(sha === undefined ? {} : { sha }),
  };
}
