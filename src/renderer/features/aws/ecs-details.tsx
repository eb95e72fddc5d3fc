// What ECS says about an environment's service: the task definition and image it serves, the task
// counts, each deployment's rollout, the latest service events, and its tasks with a way to stop one.
import { useState } from 'react';
import type { EnvironmentStatus, Instance } from '../../../shared/model.js';
import { RelativeTime } from '../../components/relative-time.js';
import {
  ecsDetailsOf,
  releaseImage,
  rolloutTone,
  shortDigest,
  shortTaskId,
  splitTaskDefinition,
  type EcsDeployment,
  type EcsDetails as Details,
} from './ecs-details-model.js';
import { StopTaskDialog } from './stop-task-dialog.js';
import './aws.css';

const EVENTS_SHOWN = 3;

function TaskDefinition({ td, testId }: { td: string | undefined; testId?: string }) {
  if (!td) return <span className="faint">—</span>;
  const { family, revision } = splitTaskDefinition(td);
  return (
    <span className="ecs-td mono" title={td} data-testid={testId}>
      <span className="ecs-td-family">{family}</span>
      {revision ? <span className="ecs-td-revision">:{revision}</span> : null}
    </span>
  );
}

function Counts({ environment, details }: { environment: string; details: Details }) {
  const items = [
    { key: 'desired', label: 'Desired', value: details.desiredCount },
    { key: 'running', label: 'Running', value: details.runningCount },
    { key: 'pending', label: 'Pending', value: details.pendingCount },
  ];
  return (
    <dl className="ecs-counts">
      {items.map((item) => (
        <div
          key={item.key}
          className={`ecs-count${item.key === 'running' && item.value < details.desiredCount ? ' is-short' : ''}`}
        >
          <dt>{item.label}</dt>
          <dd data-testid={`env-${environment}-ecs-${item.key}`}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function DeploymentRow({ deployment }: { deployment: EcsDeployment }) {
  const tone = rolloutTone(deployment.rolloutState);
  return (
    <li
      className="ecs-deployment"
      data-testid="ecs-deployment"
      data-status={deployment.status}
      data-rollout={deployment.rolloutState}
    >
      <div className="ecs-deployment-line">
        <span className={`badge ${deployment.status === 'PRIMARY' ? 'badge-accent' : ''}`}>
          {deployment.status ?? 'UNKNOWN'}
        </span>
        <TaskDefinition td={deployment.taskDefinition} />
        {deployment.version !== undefined ? <span className="version small">v{deployment.version}</span> : null}
        {deployment.rolloutState ? (
          <span className={`badge badge-${tone} ecs-rollout`}>{deployment.rolloutState.replace('_', ' ')}</span>
        ) : null}
      </div>
      <p className="small muted">
        {deployment.running}/{deployment.desired} running
        {deployment.pending > 0 ? ` · ${deployment.pending} pending` : ''}
        {deployment.failed > 0 ? ` · ${deployment.failed} failed` : ''}
        {deployment.createdAt ? (
          <>
            {' · started '}
            <RelativeTime iso={deployment.createdAt} />
          </>
        ) : null}
      </p>
      {deployment.rolloutStateReason && deployment.rolloutState !== 'COMPLETED' ? (
        <p className={`small ${deployment.rolloutState === 'FAILED' ? 'ecs-reason-failed' : 'muted'}`}>
          {deployment.rolloutStateReason}
        </p>
      ) : null}
    </li>
  );
}

/** In ECS's words: a task is provisioned, runs, then stops; health is the container health check. */
function taskStatus(instance: Instance): { status: string; health: string; tone: string } {
  const noCheck = instance.detail?.includes('no health check') ?? false;
  switch (instance.state) {
    case 'starting':
      return { status: 'starting', health: 'not yet checked', tone: 'info' };
    case 'healthy':
      return { status: 'running', health: noCheck ? 'no health check' : 'healthy', tone: noCheck ? '' : 'success' };
    case 'unhealthy':
      return { status: 'running', health: 'unhealthy', tone: 'danger' };
    case 'draining':
      return { status: 'stopping', health: 'draining', tone: 'warning' };
    case 'stopped':
      return { status: 'stopped', health: 'stopped', tone: '' };
  }
}

function Tasks({
  environment,
  instances,
  onStop,
}: {
  environment: string;
  instances: readonly Instance[];
  onStop: (task: string) => void;
}) {
  if (instances.length === 0) return <p className="small muted">No tasks are running.</p>;
  // A list rather than a table: columns are narrow, and each task reads as one line plus its facts.
  return (
    <ul className="ecs-tasks" data-testid={`env-${environment}-tasks`}>
      {instances.map((instance) => {
        const { status, health, tone } = taskStatus(instance);
        const short = shortTaskId(instance.id);
        const stoppable = instance.state !== 'stopped' && instance.state !== 'draining';
        const zone = instance.detail
          ?.split(' · ')
          .filter((part) => part !== 'no health check')
          .join(' · ');
        return (
          <li key={instance.id} className="ecs-task" data-testid="ecs-task" data-state={instance.state}>
            <div className="ecs-task-line">
              <span className="mono ecs-task-id" title={instance.id}>
                {short}
              </span>
              {instance.releaseVersion !== undefined ? (
                <span className="version small faint">v{instance.releaseVersion}</span>
              ) : null}
              <span className={`badge ${tone ? `badge-${tone}` : ''}`} title="Container health check">
                {health}
              </span>
              {stoppable ? (
                <button
                  type="button"
                  className="btn btn-ghost btn-sm ecs-task-stop"
                  onClick={() => onStop(instance.id)}
                  aria-label={`Stop task ${short}`}
                >
                  Stop
                </button>
              ) : null}
            </div>
            <p className="small muted">
              {status}
              {instance.startedAt ? (
                <>
                  {' · started '}
                  <RelativeTime iso={instance.startedAt} />
                </>
              ) : null}
              {zone ? ` · ${zone}` : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

export function EcsDetails({ pipeline, status }: { pipeline: string; status: EnvironmentStatus }) {
  const [stopping, setStopping] = useState<string | undefined>(undefined);
  const environment = status.environment;
  const details = ecsDetailsOf(status.details);
  if (!details) {
    return (
      <section className="ecs" aria-label={`ECS service of ${environment}`}>
        <p className="small muted">ECS did not report this service's deployments.</p>
      </section>
    );
  }
  const image = releaseImage(status.current);
  const digest = image === undefined ? undefined : shortDigest(image);
  const events = details.events.filter((e) => e.message).slice(0, EVENTS_SHOWN);

  return (
    <section className="ecs" aria-label={`ECS service of ${environment}`} data-testid={`env-${environment}-ecs`}>
      <div className="ecs-where">
        <h3 className="eyebrow">ECS service</h3>
        <span className="small muted">
          <span className="mono">
            {details.cluster}/{details.service}
          </span>
          {details.region ? ` · ${details.region}` : null}
          {details.launchType ? ` · ${details.launchType}` : null}
        </span>
      </div>

      <dl className="ecs-facts">
        <div>
          <dt className="eyebrow">Task definition</dt>
          <dd>
            <TaskDefinition td={details.taskDefinition} testId={`env-${environment}-ecs-task-definition`} />
          </dd>
        </div>
        <div>
          <dt className="eyebrow">Image</dt>
          <dd className="mono" title={image} data-testid={`env-${environment}-ecs-image`}>
            {digest ?? <span className="faint">{image ? 'tag, not pinned' : '—'}</span>}
          </dd>
        </div>
      </dl>

      <Counts environment={environment} details={details} />

      {details.deployments.length > 0 ? (
        <div className="ecs-block">
          <h3 className="eyebrow">Deployments</h3>
          <ul className="ecs-deployments" data-testid={`env-${environment}-ecs-deployments`}>
            {details.deployments.map((d, i) => (
              <DeploymentRow key={d.id ?? i} deployment={d} />
            ))}
          </ul>
        </div>
      ) : null}

      <div className="ecs-block">
        <h3 className="eyebrow">Tasks</h3>
        <Tasks environment={environment} instances={status.instances} onStop={setStopping} />
      </div>

      {events.length > 0 ? (
        <div className="ecs-block">
          <h3 className="eyebrow">Service events</h3>
          <ol className="ecs-events" data-testid={`env-${environment}-ecs-events`}>
            {events.map((e, i) => (
              <li key={`${e.at ?? ''}-${i}`}>
                {e.at ? (
                  <span className="faint">
                    <RelativeTime iso={e.at} />
                  </span>
                ) : null}
                <span>{e.message}</span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}

      {stopping !== undefined ? (
        <StopTaskDialog
          pipeline={pipeline}
          environment={environment}
          task={stopping}
          desired={details.desiredCount}
          onClose={() => setStopping(undefined)}
        />
      ) : null}
    </section>
  );
}
