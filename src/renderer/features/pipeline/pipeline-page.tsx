// A pipeline at a glance: one column per environment, in promotion order, with live deploy progress.
import { useState } from 'react';
import { useDeployments, useDeploymentsLive, usePipelineStatus } from '../../api/hooks.js';
import { ArrowRightIcon } from '../../components/icons.js';
import { PageHeader } from '../../components/page-header.js';
import { ErrorState, Skeleton } from '../../components/states.js';
import { routeHref } from '../../lib/route.js';
import { PromoteDialog } from '../promote/promote-dialog.js';
import { PreviousReleaseRollbackDialog } from '../releases/rollback-dialog.js';
import { DeployDialog } from './deploy-dialog.js';
import { EnvironmentColumn } from './environment-column.js';

type OpenDialog =
  | { kind: 'deploy'; environment: string }
  | { kind: 'promote'; from: string; to: string }
  | { kind: 'rollback'; environment: string }
  | undefined;

function LoadingColumns() {
  return (
    <div className="env-grid" role="status" aria-label="Loading environments">
      {[0, 1].map((i) => (
        <div key={i} className="card env" style={{ gap: 14 }}>
          <Skeleton width="40%" height={18} />
          <Skeleton width="25%" height={30} />
          <Skeleton width="85%" />
          <Skeleton width="60%" />
          <Skeleton width="50%" />
        </div>
      ))}
    </div>
  );
}

export function PipelinePage({ pipeline }: { pipeline: string }) {
  const status = usePipelineStatus(pipeline);
  const deployments = useDeployments(pipeline);
  useDeploymentsLive(pipeline);
  const [dialog, setDialog] = useState<OpenDialog>(undefined);
  const close = () => setDialog(undefined);

  const environments = status.data?.environments ?? [];
  const order = status.data?.pipeline.environments.map((e) => e.name) ?? [];

  return (
    <div className="page" data-testid="pipeline-page">
      <PageHeader
        title={pipeline}
        actions={
          <div className="page-actions">
            <a className="btn btn-ghost" href={routeHref({ page: 'activity', pipeline })}>
              Activity
            </a>
          </div>
        }
      >
        {order.length > 0 ? order.join(' → ') : ' '}
      </PageHeader>

      {status.isPending ? (
        <LoadingColumns />
      ) : status.isError ? (
        <div className="card">
          <ErrorState title={`Could not load ${pipeline}`} error={status.error} onRetry={() => void status.refetch()} />
        </div>
      ) : (
        <div className="env-grid" style={{ gridTemplateColumns: gridColumns(environments.length) }}>
          {environments.map((env, index) => {
            const next = environments[index + 1];
            return (
              <div key={env.environment} style={{ display: 'contents' }}>
                <EnvironmentColumn
                  pipeline={pipeline}
                  status={env}
                  isFirst={index === 0}
                  previous={environments[index - 1]?.environment}
                  deployments={deployments.data ?? []}
                  onDeploy={() => setDialog({ kind: 'deploy', environment: env.environment })}
                  onRollback={() => setDialog({ kind: 'rollback', environment: env.environment })}
                />
                {next ? (
                  <div className="promote-connector">
                    <span className="promote-line" aria-hidden="true" />
                    <button
                      type="button"
                      className="btn promote-button"
                      // Left enabled on purpose: the dialog explains, in the server's words, why there is nothing to promote.
                      title={env.current ? undefined : `${env.environment} has no release to promote yet`}
                      onClick={() => setDialog({ kind: 'promote', from: env.environment, to: next.environment })}
                    >
                      Promote to {next.environment}
                      <ArrowRightIcon size={14} />
                    </button>
                    <span className="promote-line" aria-hidden="true" />
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      )}

      {dialog?.kind === 'deploy' ? (
        <DeployDialog pipeline={pipeline} environment={dialog.environment} onClose={close} />
      ) : null}
      {dialog?.kind === 'promote' ? (
        <PromoteDialog pipeline={pipeline} from={dialog.from} to={dialog.to} onClose={close} />
      ) : null}
      {dialog?.kind === 'rollback' ? (
        <PreviousReleaseRollbackDialog pipeline={pipeline} environment={dialog.environment} onClose={close} />
      ) : null}
    </div>
  );
}

/** env, connector, env, connector, env… */
const gridColumns = (count: number): string => Array.from({ length: count }, () => 'minmax(280px, 1fr)').join(' auto ');
