import { describe, expect, it } from 'vitest';
import {
  draftProblems,
  emptyDraft,
  hasProblems,
  moveEnvironment,
  newEnvironment,
  sameLocation,
  splitServiceValue,
  toCreateInput,
  type PipelineDraft,
} from './pipeline-draft.js';

const discovered = new Set(['staging/shop-web', 'production/shop-web']);

function filled(): PipelineDraft {
  const draft = emptyDraft();
  const [staging, production] = draft.environments;
  return {
    ...draft,
    name: 'shop',
    region: 'eu-west-1',
    environments: [
      { ...staging!, service: 'staging/shop-web' },
      { ...production!, service: 'production/shop-web' },
    ],
  };
}

describe('draftProblems', () => {
  it('starts with staging and production, and asks for a name, a region and a service for each', () => {
    const draft = emptyDraft();
    expect(draft.environments.map((e) => e.name)).toEqual(['staging', 'production']);
    const problems = draftProblems(draft, undefined);
    expect(problems.name).toBe('Give the pipeline a name.');
    expect(problems.region).toBe('Choose a region.');
    for (const env of draft.environments) {
      expect(problems.environments[env.key]?.service).toMatch(/Check credentials/);
    }
  });

  it('accepts a complete draft', () => {
    expect(hasProblems(draftProblems(filled(), discovered))).toBe(false);
  });

  it('applies the model name rule to pipelines and environments, and refuses the reserved name', () => {
    const draft = filled();
    const bad = { ...draft, name: 'Shop', environments: [{ ...draft.environments[0]!, name: '1st' }] };
    const problems = draftProblems(bad, discovered);
    expect(problems.name).toMatch(/^Use 1–40 lowercase letters/);
    expect(problems.environments[bad.environments[0]!.key]?.name).toMatch(/^Use 1–40 lowercase letters/);
    expect(draftProblems({ ...draft, name: 'new' }, discovered).name).toMatch(/reserved/);
  });

  it('refuses two environments with one name', () => {
    const draft = filled();
    const twice = { ...draft, environments: [draft.environments[0]!, { ...draft.environments[1]!, name: 'staging' }] };
    const problems = draftProblems(twice, discovered);
    expect(problems.environments[twice.environments[1]!.key]?.name).toBe(
      'Another environment is already called staging.',
    );
    expect(problems.environments[twice.environments[0]!.key]).toBeUndefined();
  });

  it('refuses a service the last discovery did not list (another region or profile)', () => {
    const problems = draftProblems(filled(), new Set(['staging/shop-web']));
    const production = filled().environments[1]!;
    expect(problems.environments[production.key]).toBeUndefined(); // keys differ between drafts
    const draft = filled();
    expect(draftProblems(draft, new Set(['staging/shop-web'])).environments[draft.environments[1]!.key]?.service).toBe(
      'Pick the ECS service this environment runs as.',
    );
    expect(hasProblems(problems)).toBe(true);
  });

  it('refuses a region that is not an AWS region name, and a pipeline without environments', () => {
    const draft = { ...filled(), region: 'Ireland', environments: [] };
    const problems = draftProblems(draft, discovered);
    expect(problems.region).toBe('Use an AWS region name such as eu-west-1.');
    expect(problems.form).toBe('Add at least one environment.');
  });
});

describe('toCreateInput', () => {
  it('binds each environment to its cluster and service, in order, with the profile only when given', () => {
    expect(toCreateInput({ ...filled(), repo: '  ', releaseCommand: ' npm run migrate ' })).toEqual({
      name: 'shop',
      environments: [
        {
          name: 'staging',
          target: { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'staging', service: 'shop-web' },
        },
        {
          name: 'production',
          target: { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'production', service: 'shop-web' },
        },
      ],
      releaseCommand: 'npm run migrate',
    });
    const withProfile = toCreateInput({ ...filled(), profile: ' team-sso ', repo: '/src/shop' });
    expect(withProfile.environments[0]?.target).toMatchObject({ profile: 'team-sso' });
    expect(withProfile.repo).toBe('/src/shop');
  });
});

describe('helpers', () => {
  it('moves an environment and leaves the list alone at the edges', () => {
    const list = [newEnvironment('a'), newEnvironment('b'), newEnvironment('c')];
    expect(moveEnvironment(list, 2, -1).map((e) => e.name)).toEqual(['a', 'c', 'b']);
    expect(moveEnvironment(list, 0, 1).map((e) => e.name)).toEqual(['b', 'a', 'c']);
    expect(moveEnvironment(list, 0, -1).map((e) => e.name)).toEqual(['a', 'b', 'c']);
    expect(moveEnvironment(list, 2, 1).map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('splits a picker value at the first slash', () => {
    expect(splitServiceValue('production/shop-web')).toEqual({ cluster: 'production', service: 'shop-web' });
    expect(splitServiceValue('production/')).toBeUndefined();
    expect(splitServiceValue('')).toBeUndefined();
  });

  it('treats an empty profile as the default chain when comparing locations', () => {
    expect(sameLocation({ region: 'eu-west-1' }, { region: 'eu-west-1' })).toBe(true);
    expect(sameLocation({ region: 'eu-west-1', profile: 'a' }, { region: 'eu-west-1' })).toBe(false);
    expect(sameLocation(undefined, { region: 'eu-west-1' })).toBe(false);
  });
});
