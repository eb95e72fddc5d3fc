// Roll back = a new release copying an earlier one. Crossing a no-rollback release needs a typed reason.
import { useState } from 'react';
import type { ReleaseListItem } from '../../../shared/contract/releases.js';
import { useDeploymentStarted, useReleases, useRollback } from '../../api/hooks.js';
import { shortSha } from '../../components/badges.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { ShieldIcon } from '../../components/icons.js';
import { Modal } from '../../components/modal.js';
import { ReasonField, reasonProblem } from '../../components/reason-field.js';
import { RelativeTime } from '../../components/relative-time.js';
import { ErrorState, InlineError, SkeletonLines } from '../../components/states.js';

interface RollbackDialogProps {
  readonly pipeline: string;
  readonly environment: string;
  readonly target: ReleaseListItem;
  readonly currentVersion: number | undefined;
  readonly onClose: () => void;
  readonly onDone?: () => void;
}

export function RollbackDialog({
  pipeline,
  environment,
  target,
  currentVersion,
  onClose,
  onDone,
}: RollbackDialogProps) {
  const rollback = useRollback();
  const finish = () => {
    onClose();
    onDone?.();
  };
  const started = useDeploymentStarted(pipeline, environment, finish);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const blockedBy = target.rollback.blockedBy;

  const submit = () => {
    setTried(true);
    if (rollback.isPending) return;
    if (blockedBy && reasonProblem(reason)) return;
    started.arm();
    rollback.mutate(
      { pipeline, environment, to: target.version, ...(blockedBy ? { overrideReason: reason.trim() } : {}) },
      { onSuccess: finish, onError: started.disarm },
    );
  };

  return (
    <Modal
      title={`Roll back ${environment} to v${target.version}`}
      description="Makes a new release with this release's build and config, then deploys it. History only grows."
      onClose={onClose}
      onSubmit={submit}
      testId="rollback-dialog"
      footer={
        <DialogButtons
          onCancel={onClose}
          label={blockedBy ? `Override and roll back to v${target.version}` : `Roll back to v${target.version}`}
          busyLabel="Rolling back…"
          busy={rollback.isPending}
          danger
          autoFocus={!blockedBy}
        />
      }
    >
      <dl className="facts">
        <div>
          <dt>From</dt>
          <dd className="version">{currentVersion ? `v${currentVersion}` : '—'}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>
            <span className="version">v{target.version}</span> · {target.description}
          </dd>
        </div>
        {target.sha ? (
          <div>
            <dt>Commit</dt>
            <dd className="sha">{shortSha(target.sha)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Made</dt>
          <dd>
            {target.actor.user} · <RelativeTime iso={target.createdAt} />
          </dd>
        </div>
      </dl>

      {blockedBy ? (
        <>
          <div className="alert alert-warning" role="alert" data-testid="rollback-blocked">
            <ShieldIcon size={16} style={{ color: 'var(--warning)', flex: 'none', marginTop: 2 }} />
            <div className="alert-body">
              <span className="alert-title">v{blockedBy.version} is marked no-rollback</span>
              <span>“{blockedBy.reason}”</span>
              <span className="muted">
                Rolling back to v{target.version} crosses it. Only continue if you know the app still works with what v
                {blockedBy.version} changed. Your reason is recorded in the activity feed.
              </span>
            </div>
          </div>
          <ReasonField label="Override reason" value={reason} onChange={setReason} showProblem={tried} autoFocus />
        </>
      ) : null}
      <InlineError error={rollback.error} title="The rollback did not start" />
    </Modal>
  );
}

/** The environment's Rollback button: back to the newest earlier release that can be rolled back to. */
export function PreviousReleaseRollbackDialog({
  pipeline,
  environment,
  onClose,
}: {
  pipeline: string;
  environment: string;
  onClose: () => void;
}) {
  const releases = useReleases(pipeline, environment);
  if (releases.isPending || releases.isError) {
    return (
      <Modal title={`Roll back ${environment}`} onClose={onClose}>
        {releases.isPending ? (
          <SkeletonLines lines={3} label="Loading releases" />
        ) : (
          <ErrorState error={releases.error} onRetry={() => void releases.refetch()} />
        )}
      </Modal>
    );
  }
  const current = releases.data.find((r) => r.current);
  const target = releases.data.find(
    (r) =>
      !r.current &&
      (current === undefined || r.version < current.version) &&
      (r.rollback.allowed || r.rollback.blockedBy),
  );
  if (!target) {
    return (
      <Modal
        title={`Roll back ${environment}`}
        onClose={onClose}
        footer={
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            Close
          </button>
        }
      >
        <p>There is no earlier release of {environment} to roll back to.</p>
      </Modal>
    );
  }
  return (
    <RollbackDialog
      pipeline={pipeline}
      environment={environment}
      target={target}
      currentVersion={current?.version}
      onClose={onClose}
    />
  );
}
