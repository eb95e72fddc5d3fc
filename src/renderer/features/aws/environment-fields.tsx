// The pipeline's environments in promotion order, each bound to an ECS service picked from what
// discovery found: add, rename, reorder, remove.
import { useId } from 'react';
import type { DiscoveredCluster } from '../../../shared/contract/aws.js';
import { ArrowRightIcon, PlusIcon, TrashIcon } from '../../components/icons.js';
import { ErrorState, SkeletonLines } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';
import type { AppError } from '../../../shared/errors.js';
import { MAX_ENVIRONMENTS, serviceValue, splitServiceValue, type EnvironmentDraft } from './pipeline-draft.js';

export interface Discovery {
  /** Undefined until credentials were checked for the profile and region entered. */
  readonly clusters: readonly DiscoveredCluster[] | undefined;
  readonly loading: boolean;
  readonly error: AppError | null;
  readonly region: string;
  readonly onRetry: () => void;
}

interface EnvironmentFieldsProps {
  readonly environments: readonly EnvironmentDraft[];
  readonly problems: Readonly<Record<string, { readonly name?: string; readonly service?: string }>>;
  readonly showProblems: boolean;
  readonly discovery: Discovery;
  readonly onChange: (key: string, patch: Partial<Pick<EnvironmentDraft, 'name' | 'service'>>) => void;
  readonly onMove: (index: number, delta: -1 | 1) => void;
  readonly onRemove: (index: number) => void;
  readonly onAdd: () => void;
  readonly formProblem: string | undefined;
}

function ServiceSummary({ clusters, value }: { clusters: readonly DiscoveredCluster[]; value: string }) {
  const picked = splitServiceValue(value);
  const service = clusters.find((c) => c.name === picked?.cluster)?.services.find((s) => s.name === picked?.service);
  if (!service) return null;
  const short = service.runningCount < service.desiredCount;
  return (
    <p className="small muted service-summary" data-testid="service-summary">
      <span className={short ? 'health-warn' : undefined}>
        {service.runningCount}/{service.desiredCount} running
      </span>
      {service.taskDefinition ? (
        <>
          {' · '}
          <span className="mono">{service.taskDefinition}</span>
        </>
      ) : null}
      {service.launchType ? ` · ${service.launchType}` : null}
      {service.status !== 'ACTIVE' ? ` · ${service.status}` : null}
    </p>
  );
}

function ServicePicker({
  env,
  index,
  discovery,
  problem,
  onChange,
}: {
  env: EnvironmentDraft;
  index: number;
  discovery: Discovery;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const label = (
    <label className="field-label" htmlFor={id}>
      ECS service
    </label>
  );
  const { clusters } = discovery;
  if (discovery.loading) {
    return (
      <div className="field">
        {label}
        <SkeletonLines lines={1} label={`Loading ECS services for environment ${index + 1}`} />
      </div>
    );
  }
  if (!clusters) {
    return (
      <div className="field">
        {label}
        <select id={id} className="select" disabled value="" aria-describedby={`${id}-hint`}>
          <option value="">Check credentials first</option>
        </select>
        <span className={problem ? 'field-error' : 'field-hint'} id={`${id}-hint`}>
          {problem ?? 'The services of the profile and region above appear here once credentials are checked.'}
        </span>
      </div>
    );
  }
  const available = new Set(clusters.flatMap((c) => c.services.map((s) => serviceValue(c.name, s.name))));
  const value = available.has(env.service) ? env.service : '';
  return (
    <div className="field">
      {label}
      <select
        id={id}
        className="select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      >
        <option value="" disabled>
          Pick a cluster and service…
        </option>
        {clusters.map((cluster) => (
          <optgroup key={cluster.arn} label={`Cluster ${cluster.name}`}>
            {cluster.services.length === 0 ? (
              <option disabled value={`${cluster.name}/`}>
                No services in {cluster.name}
              </option>
            ) : (
              cluster.services.map((s) => (
                <option key={s.arn} value={serviceValue(cluster.name, s.name)}>
                  {s.name} — {s.runningCount}/{s.desiredCount} running{s.taskDefinition ? ` · ${s.taskDefinition}` : ''}
                </option>
              ))
            )}
          </optgroup>
        ))}
      </select>
      {problem ? (
        <span className="field-error" id={`${id}-problem`}>
          {problem}
        </span>
      ) : null}
      <ServiceSummary clusters={clusters} value={value} />
    </div>
  );
}

function EnvironmentRow({
  env,
  index,
  count,
  problem,
  discovery,
  onChange,
  onMove,
  onRemove,
}: {
  env: EnvironmentDraft;
  index: number;
  count: number;
  problem: { name?: string; service?: string } | undefined;
  discovery: Discovery;
  onChange: EnvironmentFieldsProps['onChange'];
  onMove: EnvironmentFieldsProps['onMove'];
  onRemove: EnvironmentFieldsProps['onRemove'];
}) {
  const shown = env.name.trim() === '' ? `environment ${index + 1}` : env.name;
  return (
    <li className="env-draft" data-testid={`env-draft-${index}`}>
      <fieldset>
        <legend className="env-draft-legend">
          <span className="env-draft-position" aria-hidden="true">
            {index + 1}
          </span>
          Environment {index + 1}
        </legend>
        <div className="env-draft-tools">
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-sm"
            onClick={() => onMove(index, -1)}
            disabled={index === 0}
            aria-label={`Move ${shown} earlier`}
            title="Earlier in the pipeline"
          >
            <ArrowRightIcon size={14} style={{ transform: 'rotate(-90deg)' }} />
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-sm"
            onClick={() => onMove(index, 1)}
            disabled={index === count - 1}
            aria-label={`Move ${shown} later`}
            title="Later in the pipeline"
          >
            <ArrowRightIcon size={14} style={{ transform: 'rotate(90deg)' }} />
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-sm"
            onClick={() => onRemove(index)}
            disabled={count === 1}
            aria-label={`Remove ${shown}`}
            title="Remove"
          >
            <TrashIcon size={14} />
          </button>
        </div>
        <div className="env-draft-fields">
          <TextField
            label="Name"
            mono
            value={env.name}
            onChange={(name) => onChange(env.key, { name })}
            placeholder="staging"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            problem={problem?.name}
          />
          <ServicePicker
            env={env}
            index={index}
            discovery={discovery}
            problem={problem?.service}
            onChange={(service) => onChange(env.key, { service })}
          />
        </div>
      </fieldset>
    </li>
  );
}

/** Before the first submit only a typed name that breaks the rules is worth pointing out. */
function visibleProblem(
  problem: { name?: string; service?: string } | undefined,
  env: EnvironmentDraft,
  showProblems: boolean,
): { name?: string; service?: string } | undefined {
  if (showProblems) return problem;
  return problem?.name && env.name !== '' ? { name: problem.name } : undefined;
}

export function EnvironmentFields(props: EnvironmentFieldsProps) {
  const { environments, problems, showProblems, discovery } = props;
  const { clusters } = discovery;
  return (
    <section className="card card-body new-pipeline-section" aria-labelledby="environments-title">
      <div>
        <h2 id="environments-title" className="new-pipeline-section-title">
          Environments
        </h2>
        <p className="small muted">In promotion order: each environment promotes into the next.</p>
      </div>
      {discovery.error ? (
        <ErrorState
          title={`Could not list ECS services in ${discovery.region}`}
          error={discovery.error}
          onRetry={discovery.onRetry}
        />
      ) : clusters && clusters.length === 0 ? (
        <div className="alert alert-info" role="status" data-testid="no-clusters">
          <span>
            There are no ECS clusters in {discovery.region} for these credentials. Create the cluster and service first
            (or pick another region), then check credentials again.
          </span>
        </div>
      ) : null}
      <ol className="env-drafts">
        {environments.map((env, index) => (
          <EnvironmentRow
            key={env.key}
            env={env}
            index={index}
            count={environments.length}
            problem={visibleProblem(problems[env.key], env, showProblems)}
            discovery={discovery}
            onChange={props.onChange}
            onMove={props.onMove}
            onRemove={props.onRemove}
          />
        ))}
      </ol>
      {showProblems && props.formProblem ? <p className="field-error">{props.formProblem}</p> : null}
      <div>
        <button
          type="button"
          className="btn btn-sm"
          onClick={props.onAdd}
          disabled={environments.length >= MAX_ENVIRONMENTS}
        >
          <PlusIcon size={14} />
          Add environment
        </button>
      </div>
    </section>
  );
}
