// One environment: what runs there now, how healthy it is, what is deploying, and what you can do.
import { lazy, Suspense, useState } from 'react';
import type { Deployment, EnvironmentStatus } from '../../../shared/model.js';
import { Actor, KindBadge, NoRollbackBadge, ReleaseStatusBadge, shortSha } from '../../components/badges.js';
import { AlertIcon, ExternalIcon, RocketIcon, UndoIcon } from '../../components/icons.js';
import { RelativeTime } from '../../components/relative-time.js';
import { SkeletonLines } from '../../components/states.js';
import { navigate } from '../../app/use-route.js';
import { routeHref } from '../../lib/route.js';
import { DeployProgress } from './deploy-progress.js';
import { EnvironmentSettingsDialog } from './environment-settings-dialog.js';
import { InstanceHealth } from './instance-health.js';
import { OpenShellButton } from '../terminal/open-shell-button.js';

// Only ECS environments show it, so pipelines on the local provider never load it.
const EcsDetails = lazy(() => import('../aws/ecs-details.js').then((m) => ({ default: m.EcsDetails })));
const DeploySafetyFix = lazy(() => import('../aws/deploy-safety-fix.js').then((m) => ({ default: m.DeploySafetyFix })));

interface EnvironmentColumnProps {
  readonly pipeline: string;
  readonly status: EnvironmentStatus;
  readonly isFirst: boolean;
  readonly previous: string | undefined;
  readonly deployments: readonly Deployment[];
  readonly onDeploy: () => void;
  readonly onRollback: () => void;
}

const displayUrl = (url: string): string => url.replace(/^https?:\/\//, '').replace(/\/$/, '');

export function EnvironmentColumn({
  pipeline,
  status,
  isFirst,
  previous,
  deployments,
  onDeploy,
  onRollback,
}: EnvironmentColumnProps) {
  const name = status.environment;
  const release = status.current;
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <article className="card env" data-testid={`env-${name}`} aria-labelledby={`env-${name}-title`}>
      <header className="env-header">
        <div>
          <h2 id={`env-${name}-title`} className="env-name">
            {name}
          </h2>
          <span className="faint small">{status.provider === 'local' ? 'Local' : 'AWS ECS'}</span>
        </div>
        {status.url ? (
          <a className="env-url" href={status.url} target="_blank" rel="noreferrer" data-testid={`env-${name}-url`}>
            {displayUrl(status.url)} <ExternalIcon size={12} />
          </a>
        ) : null}
      </header>

      <div className="env-release">
        {release ? (
          <>
            <div className="env-release-line">
              <span className="env-version version" data-testid={`env-${name}-version`}>
                v{release.version}
              </span>
              <KindBadge kind={release.kind} />
              {release.status !== 'succeeded' ? <ReleaseStatusBadge status={release.status} /> : null}
              {release.noRollback ? <NoRollbackBadge reason={release.noRollback.reason} /> : null}
            </div>
            <p className="env-description">{release.description}</p>
            <p className="small muted env-meta">
              {release.sha ? (
                <span className="sha" title={release.sha} data-testid={`env-${name}-sha`}>
                  {shortSha(release.sha)}
                </span>
              ) : null}
              <span>
                <Actor user={release.actor.user} email={release.actor.email} cloud={release.actor.cloud} /> ·{' '}
                <RelativeTime iso={release.createdAt} />
              </span>
            </p>
          </>
        ) : (
          <>
            <span className="env-version version faint" data-testid={`env-${name}-version`}>
              —
            </span>
            <p className="small muted">
              {isFirst
                ? 'No releases yet — deploy a commit to start.'
                : `No releases yet — promote from ${previous ?? 'the previous environment'} to start.`}
            </p>
          </>
        )}
      </div>

      <InstanceHealth
        environment={name}
        instances={status.instances}
        {...(status.capabilities.includes('exec') ? { shellIn: { pipeline } } : {})}
      />

      {status.warnings.length > 0 ? (
        <ul className="env-warnings">
          {status.warnings.map((w) => (
            <li key={w} className="alert alert-warning">
              <AlertIcon size={14} style={{ color: 'var(--warning)', flex: 'none', marginTop: 2 }} />
              <span>{w}</span>
            </li>
          ))}
          {status.provider === 'aws-ecs' ? (
            <Suspense fallback={null}>
              <DeploySafetyFix pipeline={pipeline} status={status} />
            </Suspense>
          ) : null}
        </ul>
      ) : null}

      <DeployProgress environment={name} deployments={deployments} />

      {status.provider === 'aws-ecs' ? (
        <Suspense fallback={<SkeletonLines lines={3} label={`Loading ECS details of ${name}`} />}>
          <EcsDetails pipeline={pipeline} status={status} />
        </Suspense>
      ) : null}

      <footer className="env-actions">
        <div className="env-actions-group">
          {isFirst ? (
            <button type="button" className="btn btn-primary" onClick={onDeploy}>
              <RocketIcon size={14} />
              Deploy
            </button>
          ) : null}
          <button type="button" className="btn" onClick={onRollback} disabled={!release}>
            <UndoIcon size={14} />
            Rollback
          </button>
        </div>
        <div className="env-actions-group">
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => navigate({ page: 'config', pipeline, environment: name })}
          >
            Config
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => navigate({ page: 'releases', pipeline, environment: name })}
          >
            Releases
          </button>
          {status.capabilities.includes('exec') && status.instances.some((i) => i.state === 'healthy') ? (
            <OpenShellButton pipeline={pipeline} environment={name} />
          ) : null}
          {status.capabilities.includes('logs') ? (
            <a className="btn btn-ghost btn-sm" href={routeHref({ page: 'logs', pipeline, environment: name })}>
              Logs
            </a>
          ) : null}
          {status.capabilities.includes('metrics') ? (
            <a className="btn btn-ghost btn-sm" href={routeHref({ page: 'metrics', pipeline, environment: name })}>
              Metrics
            </a>
          ) : null}
          {status.provider === 'local' ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSettingsOpen(true)}>
              Settings
            </button>
          ) : null}
        </div>
      </footer>
      {settingsOpen ? (
        <EnvironmentSettingsDialog pipeline={pipeline} environment={name} onClose={() => setSettingsOpen(false)} />
      ) : null}
    </article>
  );
}
