// Release history of one environment, newest first, with "roll back to this" on every row.
import { useEffect, useRef, useState } from 'react';
import type { ReleaseListItem } from '../../../shared/contract/releases.js';
import { useDeploymentsLive, useReleases } from '../../api/hooks.js';
import { navigate } from '../../app/use-route.js';
import { Actor, KindBadge, NoRollbackBadge, ReleaseStatusBadge, shortSha } from '../../components/badges.js';
import { ShieldIcon, UndoIcon } from '../../components/icons.js';
import { RelativeTime } from '../../components/relative-time.js';
import { PageHeader } from '../../components/page-header.js';
import { QueryCard } from '../../components/query-card.js';
import { EmptyState } from '../../components/states.js';
import { MarkNoRollbackDialog } from './mark-no-rollback-dialog.js';
import { RollbackDialog } from './rollback-dialog.js';

interface ReleasesPageProps {
  readonly pipeline: string;
  readonly environment: string;
  readonly highlight: number | undefined;
  readonly openRollback: boolean;
}

type OpenDialog = { kind: 'rollback' | 'mark'; release: ReleaseListItem } | undefined;

const canRollBack = (r: ReleaseListItem): boolean => r.rollback.allowed || r.rollback.blockedBy !== undefined;

function RollbackCell({ release, onRollback }: { release: ReleaseListItem; onRollback: () => void }) {
  if (release.current) return <span className="small faint">Running now</span>;
  const disabledReason = canRollBack(release)
    ? undefined
    : (release.rollback.reason ?? 'Cannot roll back to this release.');
  return (
    <div className="rollback-cell">
      <button
        type="button"
        className="btn btn-sm"
        onClick={onRollback}
        disabled={disabledReason !== undefined}
        title={
          disabledReason ??
          (release.rollback.blockedBy ? `Crosses no-rollback v${release.rollback.blockedBy.version}` : undefined)
        }
        aria-describedby={disabledReason ? `why-${release.version}` : undefined}
      >
        <UndoIcon size={13} />
        Roll back to this
      </button>
      {disabledReason ? (
        <span className="small faint" id={`why-${release.version}`}>
          {disabledReason}
        </span>
      ) : release.rollback.blockedBy ? (
        <span className="small" style={{ color: 'var(--warning)' }}>
          Needs an override: crosses v{release.rollback.blockedBy.version}
        </span>
      ) : null}
    </div>
  );
}

export function ReleasesPage({ pipeline, environment, highlight, openRollback }: ReleasesPageProps) {
  const releases = useReleases(pipeline, environment);
  useDeploymentsLive(pipeline);
  const [chosen, setChosen] = useState<OpenDialog>(undefined);
  const [autoDismissed, setAutoDismissed] = useState(false);
  const highlighted = useRef<HTMLTableRowElement>(null);
  const hasData = releases.data !== undefined;

  // Arriving from the activity feed: bring the release into view...
  useEffect(() => {
    if (hasData && highlight !== undefined) highlighted.current?.scrollIntoView({ block: 'center' });
  }, [hasData, highlight]);

  // ...and open its rollback when asked to, once, if that release can be rolled back to.
  const autoTarget =
    openRollback && !autoDismissed
      ? releases.data?.find((r) => r.version === highlight && !r.current && canRollBack(r))
      : undefined;
  const dialog: OpenDialog = chosen ?? (autoTarget ? { kind: 'rollback', release: autoTarget } : undefined);
  const setDialog = setChosen;

  const close = () => {
    setChosen(undefined);
    setAutoDismissed(true);
    // Drop `rollback=1` so a reload does not open the dialog again.
    if (openRollback)
      navigate({ page: 'releases', pipeline, environment, ...(highlight ? { highlight } : {}) }, { replace: true });
  };

  const current = releases.data?.find((r) => r.current);

  return (
    <div className="page" data-testid="releases-page">
      <PageHeader
        title={`${environment} releases`}
        actions={
          <div className="page-actions">
            <button type="button" className="btn" onClick={() => navigate({ page: 'pipeline', pipeline })}>
              Back to {pipeline}
            </button>
            <button type="button" className="btn" onClick={() => navigate({ page: 'config', pipeline, environment })}>
              Config
            </button>
          </div>
        }
      >
        Every release of {pipeline}/{environment}, newest first. Rolling back makes a new release that copies an older
        one.
      </PageHeader>

      <QueryCard
        query={releases}
        loading={{ lines: 6, label: 'Loading releases' }}
        errorTitle="Could not load releases"
      >
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No releases yet — deploy a commit to start">
              Releases appear here as {environment} is deployed, promoted, rolled back or configured.
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={`${environment} releases`}>
                <thead>
                  <tr>
                    <th scope="col">Release</th>
                    <th scope="col">Description</th>
                    <th scope="col">Commit</th>
                    <th scope="col">By</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => {
                    const isHighlighted = r.version === highlight;
                    return (
                      <tr
                        key={r.version}
                        ref={isHighlighted ? highlighted : undefined}
                        className={isHighlighted ? 'is-highlighted' : undefined}
                        data-testid={`release-v${r.version}`}
                        aria-current={r.current ? 'true' : undefined}
                      >
                        <td>
                          <div className="release-version-cell">
                            <span className="version">v{r.version}</span>
                            {r.current ? <span className="badge badge-accent">current</span> : null}
                          </div>
                        </td>
                        <td>
                          <div className="release-desc">
                            <span>
                              <KindBadge kind={r.kind} /> {r.description}
                            </span>
                            {r.noRollback ? (
                              <span className="small no-rollback-line">
                                <NoRollbackBadge reason={r.noRollback.reason} /> {r.noRollback.reason}
                                <span className="faint"> — {r.noRollback.actor.user}</span>
                              </span>
                            ) : null}
                            {r.failure ? (
                              <span className="small" style={{ color: 'var(--danger)' }}>
                                {r.failure}
                              </span>
                            ) : null}
                          </div>
                        </td>
                        <td>
                          {r.sha ? (
                            <span className="sha" title={r.sha}>
                              {shortSha(r.sha)}
                            </span>
                          ) : (
                            <span className="faint">—</span>
                          )}
                        </td>
                        <td>
                          <div className="release-by">
                            <Actor user={r.actor.user} email={r.actor.email} cloud={r.actor.cloud} />
                            <span className="faint small">
                              <RelativeTime iso={r.createdAt} />
                            </span>
                          </div>
                        </td>
                        <td>
                          {r.kind === 'external' ? (
                            <span title="Registered outside Slipway: no deploy status is recorded">—</span>
                          ) : (
                            <ReleaseStatusBadge status={r.status} />
                          )}
                        </td>
                        <td>
                          <div className="row-actions">
                            <RollbackCell release={r} onRollback={() => setDialog({ kind: 'rollback', release: r })} />
                            {r.noRollback ? null : (
                              <button
                                type="button"
                                className="btn btn-ghost btn-sm"
                                onClick={() => setDialog({ kind: 'mark', release: r })}
                                aria-label={`Mark v${r.version} no-rollback`}
                              >
                                <ShieldIcon size={13} />
                                Mark no-rollback
                              </button>
                            )}
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryCard>

      {dialog?.kind === 'rollback' ? (
        <RollbackDialog
          pipeline={pipeline}
          environment={environment}
          target={dialog.release}
          currentVersion={current?.version}
          onClose={close}
        />
      ) : null}
      {dialog?.kind === 'mark' ? (
        <MarkNoRollbackDialog pipeline={pipeline} environment={environment} release={dialog.release} onClose={close} />
      ) : null}
    </div>
  );
}
