// The team's shared feed: who did what, where, from which release to which, and how it went.
import { useId } from 'react';
import type { AuditEvent } from '../../../shared/model.js';
import { actionLabel } from './activity-sentence.js';
import { useActivity, useActivityLive, usePipelines } from '../../api/hooks.js';
import { navigate } from '../../app/use-route.js';
import { CloudIdentity, shortSha } from '../../components/badges.js';
import { ArrowRightIcon, UndoIcon } from '../../components/icons.js';
import { RelativeTime } from '../../components/relative-time.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryCard } from '../../components/query-card.js';
import { EmptyState } from '../../components/states.js';
import { routeHref } from '../../lib/route.js';

function VersionLink({ event, version }: { event: AuditEvent; version: number }) {
  if (!event.environment) return <span className="version">v{version}</span>;
  return (
    <a
      className="version"
      href={routeHref({
        page: 'releases',
        pipeline: event.pipeline,
        environment: event.environment,
        highlight: version,
      })}
      title={`Show v${version} in ${event.environment}'s releases`}
    >
      v{version}
    </a>
  );
}

function ActivityItem({ event }: { event: AuditEvent }) {
  const versions = [event.beforeVersion, event.afterVersion].filter((v): v is number => v !== undefined);
  // A failed action's new release never served; only the releases that did can be rolled back to.
  const rollbackTargets = [event.beforeVersion, event.result === 'succeeded' ? event.afterVersion : undefined].filter(
    (v): v is number => v !== undefined,
  );
  return (
    <li className="activity-item" data-testid="activity-item" data-action={event.action}>
      <span className="avatar" aria-hidden="true">
        {event.actor.user.slice(0, 2)}
      </span>
      <div className="activity-main">
        <p className="activity-line">
          <strong>{event.actor.user}</strong>
          {event.actor.email ? <span className="faint small"> &lt;{event.actor.email}&gt;</span> : null}
          {event.actor.cloud ? <CloudIdentity cloud={event.actor.cloud} /> : null}{' '}
          <span className="muted">{actionLabel[event.action]}</span>{' '}
          <a href={routeHref({ page: 'pipeline', pipeline: event.pipeline })}>{event.pipeline}</a>
          {event.environment ? <span className="muted"> / {event.environment}</span> : null}
          {event.result === 'failed' ? (
            <span className="badge badge-danger" style={{ marginLeft: 6 }}>
              failed{event.errorCode ? ` · ${event.errorCode}` : ''}
            </span>
          ) : (
            <span className="badge badge-success" style={{ marginLeft: 6 }}>
              succeeded
            </span>
          )}
        </p>
        <p className="activity-summary">{event.summary}</p>
        <div className="activity-details small">
          {event.beforeVersion !== undefined && event.afterVersion !== undefined ? (
            <span className="activity-versions" aria-label="Release change">
              <VersionLink event={event} version={event.beforeVersion} />
              <ArrowRightIcon size={12} className="faint" />
              <VersionLink event={event} version={event.afterVersion} />
            </span>
          ) : versions[0] !== undefined ? (
            <span className="activity-versions">
              <VersionLink event={event} version={versions[0]} />
            </span>
          ) : null}
          {event.sha ? <span className="sha">{shortSha(event.sha)}</span> : null}
          {event.keys && event.keys.length > 0 ? (
            <span className="chip-list" aria-label="Config keys">
              {event.keys.map((k) => (
                <span key={k.key} className="chip">
                  {k.key}
                </span>
              ))}
            </span>
          ) : null}
          <span className="faint">
            <RelativeTime iso={event.at} />
          </span>
          {event.environment && rollbackTargets.length > 0 ? (
            <span className="activity-actions">
              {rollbackTargets.map((v) => (
                <button
                  key={v}
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() =>
                    navigate({
                      page: 'releases',
                      pipeline: event.pipeline,
                      environment: event.environment as string,
                      highlight: v,
                      rollback: true,
                    })
                  }
                >
                  <UndoIcon size={12} />
                  Roll back to v{v}
                </button>
              ))}
            </span>
          ) : null}
        </div>
        {event.overrideReason ? (
          <p className="small activity-override">Overrode a no-rollback mark: “{event.overrideReason}”</p>
        ) : null}
      </div>
    </li>
  );
}

export function ActivityPage({
  pipeline,
  environment,
}: {
  pipeline?: string | undefined;
  environment?: string | undefined;
}) {
  const filter = { pipeline, environment };
  const activity = useActivity(filter);
  useActivityLive(filter);
  const pipelines = usePipelines();
  const pipelineId = useId();
  const environmentId = useId();
  const environments = pipelines.data?.find((p) => p.name === pipeline)?.environments ?? [];
  const events = activity.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <div className="page" data-testid="activity-page">
      <PageHeader
        title="Activity"
        actions={
          <div className="page-actions filters" role="group" aria-label="Filters">
            <label className="field-label" htmlFor={pipelineId}>
              Pipeline
            </label>
            <select
              id={pipelineId}
              className="select"
              value={pipeline ?? ''}
              onChange={(e) => navigate({ page: 'activity', ...(e.target.value ? { pipeline: e.target.value } : {}) })}
            >
              <option value="">All pipelines</option>
              {pipelines.data?.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
            <label className="field-label" htmlFor={environmentId}>
              Environment
            </label>
            <select
              id={environmentId}
              className="select"
              value={environment ?? ''}
              disabled={!pipeline}
              onChange={(e) =>
                navigate({
                  page: 'activity',
                  ...(pipeline ? { pipeline } : {}),
                  ...(e.target.value ? { environment: e.target.value } : {}),
                })
              }
            >
              <option value="">All environments</option>
              {environments.map((env) => (
                <option key={env.name} value={env.name}>
                  {env.name}
                </option>
              ))}
            </select>
          </div>
        }
      >
        Everything the team did, newest first. New events appear as they happen.
      </PageHeader>

      <QueryCard
        query={activity}
        loading={{ lines: 8, label: 'Loading activity' }}
        errorTitle="Could not load activity"
      >
        {() =>
          events.length === 0 ? (
            <EmptyState title="No activity yet">
              Deploys, promotes, rollbacks and config changes{pipeline ? ` in ${pipeline}` : ''} will show up here.
            </EmptyState>
          ) : (
            <>
              <ol className="activity-list" aria-label="Activity" aria-live="polite">
                {events.map((event) => (
                  <ActivityItem key={event.id} event={event} />
                ))}
              </ol>
              {activity.hasNextPage ? (
                <div className="card-body" style={{ display: 'flex', justifyContent: 'center' }}>
                  <button
                    type="button"
                    className="btn"
                    disabled={activity.isFetchingNextPage}
                    onClick={() => void activity.fetchNextPage()}
                  >
                    {activity.isFetchingNextPage ? 'Loading…' : 'Show older activity'}
                  </button>
                </div>
              ) : null}
            </>
          )
        }
      </QueryCard>
    </div>
  );
}
