// The new-pipeline form as plain data: what the person typed, what is wrong with it (in the contract's
// own words), and the `pipelines.create` input it becomes.
import { awsLocationSchema } from '../../../shared/contract/aws.js';
import type { ProcedureInput } from '../../../shared/contract/index.js';
import { nameSchema } from '../../../shared/model.js';

export interface EnvironmentDraft {
  /** Stable across renames and moves, for React keys and labels. */
  readonly key: string;
  readonly name: string;
  /** `cluster/service` as the picker's value; empty until picked. */
  readonly service: string;
}

export interface PipelineDraft {
  readonly name: string;
  readonly profile: string;
  readonly region: string;
  readonly environments: readonly EnvironmentDraft[];
  readonly repo: string;
  readonly releaseCommand: string;
}

export interface AwsLocation {
  readonly profile?: string;
  readonly region: string;
}

export interface DraftProblems {
  readonly name?: string;
  readonly region?: string;
  readonly environments: Readonly<Record<string, { readonly name?: string; readonly service?: string }>>;
  readonly form?: string;
}

/** More columns than this stop being readable side by side on the pipeline page. */
export const MAX_ENVIRONMENTS = 8;

/** `new` is the address of this very page (`#/pipelines/new`). */
const RESERVED_NAMES = new Set(['new']);

let nextKey = 0;
export const newEnvironment = (name = ''): EnvironmentDraft => ({ key: `env-${++nextKey}`, name, service: '' });

export const emptyDraft = (): PipelineDraft => ({
  name: '',
  profile: '',
  region: '',
  environments: [newEnvironment('staging'), newEnvironment('production')],
  repo: '',
  releaseCommand: '',
});

export const serviceValue = (cluster: string, service: string): string => `${cluster}/${service}`;

/** ECS names cannot contain `/`, so the first one splits cluster from service. */
export function splitServiceValue(value: string): { cluster: string; service: string } | undefined {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return undefined;
  return { cluster: value.slice(0, slash), service: value.slice(slash + 1) };
}

const sentence = (message: string): string => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

function nameProblem(value: string, what: string): string | undefined {
  if (value.trim() === '') return `Give the ${what} a name.`;
  const parsed = nameSchema.safeParse(value);
  return parsed.success ? undefined : sentence(parsed.error.issues[0]?.message ?? 'use another name');
}

export function regionProblem(region: string): string | undefined {
  if (region.trim() === '') return 'Choose a region.';
  const parsed = awsLocationSchema.shape.region.safeParse(region.trim());
  return parsed.success ? undefined : sentence(parsed.error.issues[0]?.message ?? 'use an AWS region name');
}

/** The location the form names, as `aws.whoami` and `aws.discover` take it. */
export function locationOf(draft: Pick<PipelineDraft, 'profile' | 'region'>): AwsLocation {
  const profile = draft.profile.trim();
  return profile === '' ? { region: draft.region.trim() } : { profile, region: draft.region.trim() };
}

export const sameLocation = (a: AwsLocation | undefined, b: AwsLocation | undefined): boolean =>
  a !== undefined && b !== undefined && a.region === b.region && (a.profile ?? '') === (b.profile ?? '');

/**
 * Everything wrong with the draft. `available` holds the `cluster/service` values the last discovery
 * listed, so a pick from another profile or region does not slip through.
 */
export function draftProblems(draft: PipelineDraft, available: ReadonlySet<string> | undefined): DraftProblems {
  const environments: Record<string, { name?: string; service?: string }> = {};
  const seen = new Set<string>();
  for (const env of draft.environments) {
    const problem: { name?: string; service?: string } = {};
    const name = nameProblem(env.name, 'environment');
    if (name) problem.name = name;
    else if (seen.has(env.name)) problem.name = `Another environment is already called ${env.name}.`;
    seen.add(env.name);
    if (env.service === '' || !available?.has(env.service)) {
      problem.service =
        available === undefined
          ? 'Check credentials, then pick the ECS service this environment runs as.'
          : 'Pick the ECS service this environment runs as.';
    }
    if (problem.name || problem.service) environments[env.key] = problem;
  }
  let name = nameProblem(draft.name, 'pipeline');
  if (!name && RESERVED_NAMES.has(draft.name)) name = `"${draft.name}" is reserved; choose another name.`;
  const region = regionProblem(draft.region);
  const form = draft.environments.length === 0 ? 'Add at least one environment.' : undefined;
  return {
    ...(name ? { name } : {}),
    ...(region ? { region } : {}),
    environments,
    ...(form ? { form } : {}),
  };
}

export const hasProblems = (problems: DraftProblems): boolean =>
  problems.name !== undefined ||
  problems.region !== undefined ||
  problems.form !== undefined ||
  Object.keys(problems.environments).length > 0;

/** The `pipelines.create` input; call only once `draftProblems` found nothing. */
export function toCreateInput(draft: PipelineDraft): ProcedureInput<'pipelines.create'> {
  const location = locationOf(draft);
  const repo = draft.repo.trim();
  const releaseCommand = draft.releaseCommand.trim();
  return {
    name: draft.name,
    environments: draft.environments.map((env) => {
      const picked = splitServiceValue(env.service);
      if (!picked) throw new Error(`No service picked for ${env.name}`);
      return { name: env.name, target: { provider: 'aws-ecs' as const, ...location, ...picked } };
    }),
    ...(repo === '' ? {} : { repo }),
    ...(releaseCommand === '' ? {} : { releaseCommand }),
  };
}

export function moveEnvironment(
  environments: readonly EnvironmentDraft[],
  index: number,
  delta: -1 | 1,
): EnvironmentDraft[] {
  const to = index + delta;
  const list = [...environments];
  const moving = list[index];
  if (moving === undefined || to < 0 || to >= list.length) return list;
  list.splice(index, 1);
  list.splice(to, 0, moving);
  return list;
}
