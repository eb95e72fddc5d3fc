// `#/pipelines/new`: name a pipeline, check which AWS identity Slipway acts as, bind each environment
// to an ECS service found in the account, and create it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAwsDiscover, useAwsWhoami, useCreatePipeline } from '../../api/hooks.js';
import { navigate } from '../../app/use-route.js';
import { PageHeader } from '../../components/page-header.js';
import { InlineError } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';
import { routeHref } from '../../lib/route.js';
import { AwsAccountFields } from './aws-account-fields.js';
import { EnvironmentFields } from './environment-fields.js';
import {
  draftProblems,
  emptyDraft,
  hasProblems,
  locationOf,
  moveEnvironment,
  newEnvironment,
  regionProblem,
  sameLocation,
  serviceValue,
  toCreateInput,
  type AwsLocation,
  type PipelineDraft,
} from './pipeline-draft.js';
import './aws.css';

function ProviderChoice() {
  return (
    <fieldset className="provider-choice">
      <legend className="field-label">Runs on</legend>
      <div className="provider-options">
        <label className="provider-option is-checked">
          <input type="radio" name="provider" value="aws-ecs" checked readOnly />
          <span>
            <strong>AWS ECS</strong>
            <span className="small muted"> — each environment is an ECS service in your account.</span>
          </span>
        </label>
        <label className="provider-option is-disabled">
          <input type="radio" name="provider" value="local" disabled aria-describedby="provider-local-hint" />
          <span>
            <strong>Local</strong>
            <span className="small muted" id="provider-local-hint">
              {' '}
              — not created here yet: use <code>slipway pipelines create</code>.
            </span>
          </span>
        </label>
      </div>
    </fieldset>
  );
}

export function NewPipelinePage() {
  const [draft, setDraft] = useState<PipelineDraft>(emptyDraft);
  const [checked, setChecked] = useState<AwsLocation | undefined>(undefined);
  const [tried, setTried] = useState(false);
  const [focusInvalid, setFocusInvalid] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const location = locationOf(draft);
  const active = sameLocation(checked, location) ? checked : undefined;
  const whoami = useAwsWhoami(active);
  const discover = useAwsDiscover(whoami.isSuccess ? active : undefined);
  const create = useCreatePipeline();

  const clusters = discover.data?.clusters;
  const available =
    clusters === undefined
      ? undefined
      : new Set(clusters.flatMap((c) => c.services.map((s) => serviceValue(c.name, s.name))));
  const problems = draftProblems(draft, available);

  // After a refused submit, the first field that needs attention gets the focus.
  useEffect(() => {
    if (focusInvalid === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusInvalid]);

  const update = (patch: Partial<PipelineDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const check = () => {
    if (regionProblem(draft.region)) {
      setTried(true);
      setFocusInvalid((n) => n + 1);
      return;
    }
    if (sameLocation(checked, location)) {
      void whoami.refetch();
      if (whoami.isSuccess) void discover.refetch();
    } else {
      setChecked(location);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (hasProblems(problems)) {
      setFocusInvalid((n) => n + 1);
      return;
    }
    if (create.isPending) return;
    create.mutate(toCreateInput(draft), {
      onSuccess: (pipeline) => navigate({ page: 'pipeline', pipeline: pipeline.name }),
    });
  };

  const nameProblem = tried || draft.name !== '' ? problems.name : undefined;

  return (
    <div className="page new-pipeline" data-testid="new-pipeline-page">
      <PageHeader title="New pipeline">
        Bind environments to the ECS services you already run. Slipway deploys into them from then on.
      </PageHeader>

      <form ref={formRef} className="new-pipeline-form" onSubmit={submit} noValidate aria-label="New pipeline">
        <section className="card card-body new-pipeline-section" aria-labelledby="pipeline-title">
          <h2 id="pipeline-title" className="new-pipeline-section-title">
            Pipeline
          </h2>
          <TextField
            label="Name"
            mono
            value={draft.name}
            onChange={(name) => update({ name })}
            placeholder="shop"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            autoFocus
            problem={nameProblem}
            hint={
              <>
                Lowercase letters, digits and dashes, as in the CLI: <code>slipway deploy shop</code>.
              </>
            }
          />
          <ProviderChoice />
        </section>

        <AwsAccountFields
          profile={draft.profile}
          region={draft.region}
          onProfileChange={(profile) => update({ profile })}
          onRegionChange={(region) => update({ region })}
          regionProblem={tried ? problems.region : undefined}
          onCheck={check}
          identity={active ? whoami.data : undefined}
          checking={active !== undefined && whoami.isFetching}
          error={active ? whoami.error : null}
          stale={checked !== undefined && active === undefined}
        />

        <EnvironmentFields
          environments={draft.environments}
          problems={problems.environments}
          showProblems={tried}
          formProblem={problems.form}
          discovery={{
            clusters: active && whoami.isSuccess ? clusters : undefined,
            loading: active !== undefined && whoami.isSuccess && discover.isPending,
            error: active && whoami.isSuccess ? discover.error : null,
            region: location.region,
            onRetry: () => void discover.refetch(),
          }}
          onChange={(key, patch) =>
            update({ environments: draft.environments.map((e) => (e.key === key ? { ...e, ...patch } : e)) })
          }
          onMove={(index, delta) => update({ environments: moveEnvironment(draft.environments, index, delta) })}
          onRemove={(index) => update({ environments: draft.environments.filter((_, i) => i !== index) })}
          onAdd={() => update({ environments: [...draft.environments, newEnvironment()] })}
        />

        <section className="card card-body new-pipeline-section" aria-labelledby="optional-title">
          <h2 id="optional-title" className="new-pipeline-section-title">
            Optional
          </h2>
          <div className="new-pipeline-row">
            <TextField
              label="Repository path"
              mono
              value={draft.repo}
              onChange={(repo) => update({ repo })}
              placeholder="/home/you/src/shop"
              autoComplete="off"
              spellCheck={false}
              hint="A local git clone; the promote dialog reads commits and diffs from it."
            />
            <TextField
              label="Release command"
              mono
              value={draft.releaseCommand}
              onChange={(releaseCommand) => update({ releaseCommand })}
              placeholder="npm run migrate"
              autoComplete="off"
              spellCheck={false}
              hint="Runs as a one-off task with each new release; a non-zero exit stops the deploy."
            />
          </div>
        </section>

        <InlineError error={create.error} title="The pipeline was not created" />
        <div className="new-pipeline-actions">
          <a className="btn btn-ghost" href={routeHref({ page: 'home' })}>
            Cancel
          </a>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create pipeline'}
          </button>
        </div>
      </form>
    </div>
  );
}
