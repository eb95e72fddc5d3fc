// Pipelines and the activity feed: where a person can go.
import { usePipelines, useTeamStatus } from '../api/hooks.js';
import { ActivityIcon, LockIcon, PipelineIcon, PlusIcon, RocketIcon } from '../components/icons.js';
import { Skeleton } from '../components/states.js';
import { routeHref, type Route } from '../lib/route.js';

const currentPipeline = (route: Route): string | undefined =>
  route.page === 'pipeline' ||
  route.page === 'releases' ||
  route.page === 'config' ||
  route.page === 'logs' ||
  route.page === 'metrics'
    ? route.pipeline
    : undefined;

/** The team workspace, with how many activity events wait to upload while the bucket is away. */
function TeamLink({ active }: { active: boolean }) {
  const status = useTeamStatus();
  const spooled = status.data?.spooled ?? 0;
  return (
    <a className="nav-link" href={routeHref({ page: 'team' })} aria-current={active ? 'page' : undefined}>
      <LockIcon />
      {status.data?.team ? 'Team workspace' : 'Join a team workspace'}
      {spooled > 0 ? (
        <span className="nav-meta" data-testid="spooled-count" title="Activity events waiting to upload">
          {spooled} waiting to upload
        </span>
      ) : null}
    </a>
  );
}

export function Sidebar({ route, version }: { route: Route; version: string | undefined }) {
  const pipelines = usePipelines();
  const active = currentPipeline(route);
  return (
    <nav className="app-sidebar" aria-label="Main">
      <a className="brand" href="#/">
        <span className="brand-mark">
          <RocketIcon size={15} />
        </span>
        Slipway
      </a>
      <div>
        <h2 className="nav-section-title">Pipelines</h2>
        {pipelines.isPending ? (
          <div style={{ display: 'grid', gap: 10, padding: '6px 8px' }} role="status" aria-label="Loading pipelines">
            <Skeleton width="70%" />
            <Skeleton width="50%" />
          </div>
        ) : pipelines.isError ? (
          <p className="small muted" style={{ padding: '0 8px' }}>
            Could not list pipelines.{' '}
            <button type="button" className="btn-link" onClick={() => void pipelines.refetch()}>
              Retry
            </button>
          </p>
        ) : pipelines.data.length === 0 ? (
          <p className="small faint" style={{ padding: '0 8px' }}>
            No pipelines yet.
          </p>
        ) : (
          <ul className="nav-list">
            {pipelines.data.map((p) => (
              <li key={p.name}>
                <a
                  className="nav-link"
                  href={routeHref({ page: 'pipeline', pipeline: p.name })}
                  aria-current={active === p.name ? 'page' : undefined}
                >
                  <PipelineIcon />
                  {p.name}
                  <span className="nav-meta">{p.environments.length} env</span>
                </a>
              </li>
            ))}
          </ul>
        )}
        <a
          className="nav-link"
          href={routeHref({ page: 'new-pipeline' })}
          aria-current={route.page === 'new-pipeline' ? 'page' : undefined}
          data-testid="new-pipeline-link"
        >
          <PlusIcon />
          New pipeline
        </a>
      </div>
      <div>
        <h2 className="nav-section-title">Team</h2>
        <ul className="nav-list">
          <li>
            <a
              className="nav-link"
              href={routeHref({ page: 'activity' })}
              aria-current={route.page === 'activity' ? 'page' : undefined}
            >
              <ActivityIcon />
              Activity
            </a>
          </li>
          <li>
            <TeamLink active={route.page === 'team'} />
          </li>
        </ul>
      </div>
      {version ? <div className="sidebar-footer">Slipway {version}</div> : null}
    </nav>
  );
}
