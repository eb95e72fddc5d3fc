// Turning a task definition into the next one: only the app container's image and config change;
// every other field is carried over exactly as ECS returned it.
import type {
  ContainerDefinition,
  KeyValuePair,
  RegisterTaskDefinitionRequest,
  Secret,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { AppError } from '../../../shared/errors.js';
import type { Artifact, Config } from '../../../shared/model.js';

/** Fields ECS sets itself; RegisterTaskDefinition refuses or ignores them. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const satisfies readonly (keyof TaskDefinition)[];

/**
 * The container Slipway deploys to and reads config from: the one named like the service, else the
 * first essential container (sidecars are usually marked non-essential), else the first.
 */
export function appContainerName(td: TaskDefinition, serviceName: string): string {
  const containers = td.containerDefinitions ?? [];
  const chosen =
    containers.find((c) => c.name === serviceName) ?? containers.find((c) => c.essential !== false) ?? containers[0];
  if (chosen?.name === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `Task definition ${describeTd(td)} has no containers, so there is nothing to deploy.`,
    );
  }
  return chosen.name;
}

export const describeTd = (td: TaskDefinition): string => `${td.family ?? 'unknown'}:${td.revision ?? '?'}`;

/**
 * Plain env vars keep their values; secrets are references (a Secrets Manager or SSM ARN), never values.
 * A definition registered elsewhere may name a var `__proto__` or `constructor`: without a prototype,
 * each is an own key like any other (on `{}` the first would replace the prototype and vanish).
 */
export function readConfig(container: ContainerDefinition | undefined): Config {
  const config = Object.create(null) as Config;
  for (const pair of container?.environment ?? []) {
    if (pair.name !== undefined) config[pair.name] = { value: pair.value ?? '', secret: false };
  }
  for (const secret of container?.secrets ?? []) {
    if (secret.name !== undefined) config[secret.name] = { value: secret.valueFrom ?? '', secret: true };
  }
  return config;
}

/** The label image builders set to the commit (OCI), when the definition carries it as a Docker label. */
const REVISION_LABEL = 'org.opencontainers.image.revision';
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** The commit a container runs, for revisions registered outside Slipway: its revision label or GIT_SHA env. */
export function readCommit(container: ContainerDefinition | undefined): string | undefined {
  const label = container?.dockerLabels?.[REVISION_LABEL];
  const env = container?.environment?.find((pair) => pair.name === 'GIT_SHA')?.value;
  return [label, env].find((value): value is string => value !== undefined && COMMIT.test(value));
}

const repositoryOf = (image: string | undefined): string | undefined => {
  if (image === undefined || image === '') return undefined;
  const at = image.indexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
};

/**
 * The containers that run the app's build: the app container and any other running the same
 * repository (a worker or migrator next to the web process). A deploy pins them all to one digest,
 * and a promote carries each one's digest; sidecars from other repositories keep their own images.
 */
export function buildContainers(td: TaskDefinition, app: string): string[] {
  const containers = td.containerDefinitions ?? [];
  const repository = repositoryOf(containers.find((c) => c.name === app)?.image);
  return containers.flatMap((c) =>
    c.name !== undefined && (c.name === app || (repository !== undefined && repositoryOf(c.image) === repository))
      ? [c.name]
      : [],
  );
}

export function readArtifact(td: TaskDefinition, app: string): Artifact {
  const images: Record<string, string> = {};
  for (const name of buildContainers(td, app)) {
    images[name] = td.containerDefinitions?.find((c) => c.name === name)?.image ?? '';
  }
  return { kind: 'images', images };
}

/** ARNs of Secrets Manager secrets or SSM parameters, or an SSM parameter path. */
const SECRET_REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm):|\/)/;

function checkSecretReference(key: string, value: string): void {
  if (!SECRET_REFERENCE.test(value)) {
    throw new AppError(
      'INVALID_INPUT',
      `On ECS the secret ${key} must be a reference, not a value: give the ARN of a Secrets Manager secret or an SSM parameter (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME).`,
    );
  }
}

/** Keeps the existing order of variables so an unchanged config registers byte-for-byte the same. */
function orderedKeys(existing: readonly string[], config: Config, secret: boolean): string[] {
  const wanted = Object.keys(config).filter((key) => config[key]?.secret === secret);
  const kept = existing.filter((key) => wanted.includes(key));
  return [...kept, ...wanted.filter((key) => !kept.includes(key)).sort()];
}

export function applyConfig(container: ContainerDefinition, config: Config): ContainerDefinition {
  const envKeys = orderedKeys(
    (container.environment ?? []).map((p) => p.name ?? ''),
    config,
    false,
  );
  const secretKeys = orderedKeys(
    (container.secrets ?? []).map((s) => s.name ?? ''),
    config,
    true,
  );
  const environment: KeyValuePair[] = envKeys.map((name) => ({ name, value: config[name]?.value ?? '' }));
  const secrets: Secret[] = secretKeys.map((name) => {
    const valueFrom = config[name]?.value ?? '';
    checkSecretReference(name, valueFrom);
    return { name, valueFrom };
  });
  const next: ContainerDefinition = { ...container };
  // Absent stays absent, so a definition without env vars is not changed by an empty config.
  if (environment.length > 0 || container.environment !== undefined) next.environment = environment;
  if (secrets.length > 0 || container.secrets !== undefined) next.secrets = secrets;
  return next;
}

export function imageFor(artifact: Artifact, app: string): string {
  if (artifact.kind !== 'images') {
    throw new AppError(
      'INVALID_INPUT',
      'This release was built for the local provider; an ECS environment needs a container image.',
    );
  }
  // Another environment may name its app container differently: one build image still says which.
  const distinct = [...new Set(Object.values(artifact.images))];
  const image = artifact.images[app] ?? (distinct.length === 1 ? distinct[0] : undefined);
  if (image === undefined || image === '') {
    throw new AppError('INVALID_INPUT', `The release has no image for container ${app}.`);
  }
  return image;
}

export interface NextDefinition {
  readonly app: string;
  readonly artifact: Artifact;
  readonly config: Config;
  readonly tags: Tag[];
}

/** The RegisterTaskDefinition input: `base` with read-only fields stripped, the app container updated. */
export function nextRegisterInput(base: TaskDefinition, next: NextDefinition): RegisterTaskDefinitionRequest {
  const copy: Record<string, unknown> = { ...base };
  for (const key of READ_ONLY_FIELDS) delete copy[key];
  const image = imageFor(next.artifact, next.app);
  const build = next.artifact.kind === 'images' ? next.artifact.images : {};
  const containerDefinitions = (base.containerDefinitions ?? []).map((container) => {
    if (container.name === next.app) return applyConfig({ ...container, image }, next.config);
    const own = container.name === undefined ? undefined : build[container.name];
    // Other containers of the build take their image from the artifact; the rest stay exactly as they are.
    return own === undefined || own === '' || own === container.image ? container : { ...container, image: own };
  });
  // The remaining keys are exactly RegisterTaskDefinition's (ECS returns what it was registered with).
  return {
    ...(copy as Omit<RegisterTaskDefinitionRequest, 'family' | 'containerDefinitions'>),
    family: base.family,
    containerDefinitions,
    tags: next.tags,
  };
}
