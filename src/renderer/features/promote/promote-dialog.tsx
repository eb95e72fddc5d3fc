// What a promote would ship — commits, file diff, compare link — and the button that ships it.
import { lazy, Suspense, useState } from 'react';
import { useDeploymentStarted, usePromote, usePromotePreview } from '../../api/hooks.js';
import { shortSha } from '../../components/badges.js';
import { CommitLine } from '../../components/commit-line.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { ExternalIcon } from '../../components/icons.js';
import { Modal } from '../../components/modal.js';
import { NoRollbackFields, reasonProblem } from '../../components/reason-field.js';
import { ErrorState, InlineError, SkeletonLines } from '../../components/states.js';

// The diff renderer is the heaviest piece of the window; it loads when a promote is previewed.
const DiffView = lazy(() => import('./diff-view.js').then((m) => ({ default: m.DiffView })));

interface PromoteDialogProps {
  readonly pipeline: string;
  readonly from: string;
  readonly to: string;
  readonly onClose: () => void;
}

export function PromoteDialog({ pipeline, from, to, onClose }: PromoteDialogProps) {
  const preview = usePromotePreview(pipeline, from, to);
  const promote = usePromote();
  const started = useDeploymentStarted(pipeline, to, onClose);
  const [noRollback, setNoRollback] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);

  const source = preview.data?.from.release;
  const target = preview.data?.to.release;
  const canPromote = preview.isSuccess && source !== undefined;

  const submit = () => {
    setTried(true);
    if (!canPromote || promote.isPending) return;
    if (noRollback && reasonProblem(reason)) return;
    started.arm();
    promote.mutate(
      { pipeline, from, to, ...(noRollback ? { noRollbackReason: reason.trim() } : {}) },
      { onSuccess: onClose, onError: started.disarm },
    );
  };

  const confirmLabel = source ? `Promote v${source.version} to ${to}` : `Promote to ${to}`;

  return (
    <Modal
      title={`Promote ${from} → ${to}`}
      description={`Ships ${from}'s build to ${to} with ${to}'s own config. Nothing is rebuilt.`}
      onClose={onClose}
      onSubmit={submit}
      wide
      testId="promote-dialog"
      footer={
        <DialogButtons
          onCancel={onClose}
          label={confirmLabel}
          busyLabel="Promoting…"
          busy={promote.isPending}
          disabled={!canPromote}
          autoFocus
        />
      }
    >
      {preview.isPending ? (
        <SkeletonLines lines={6} label="Loading what would ship" />
      ) : preview.isError ? (
        <ErrorState title="Cannot preview this promote" error={preview.error} onRetry={() => void preview.refetch()} />
      ) : (
        <>
          <div className="promote-summary">
            <div className="promote-side">
              <span className="eyebrow">{from}</span>
              <span className="version">{source ? `v${source.version}` : '—'}</span>
              <span className="sha">{shortSha(source?.sha) ?? 'no release'}</span>
            </div>
            <span className="promote-arrow" aria-hidden="true">
              →
            </span>
            <div className="promote-side">
              <span className="eyebrow">{to}</span>
              <span className="version">{target ? `v${target.version}` : '—'}</span>
              <span className="sha">{shortSha(target?.sha) ?? 'no release yet'}</span>
            </div>
            {preview.data.compareUrl ? (
              <a
                className="btn btn-sm"
                href={preview.data.compareUrl}
                target="_blank"
                rel="noreferrer"
                style={{ marginLeft: 'auto' }}
              >
                Compare on GitHub <ExternalIcon size={12} />
              </a>
            ) : null}
          </div>

          {!source ? (
            <div className="alert alert-warning" role="alert">
              {from} has no release to promote yet. Deploy to {from} first.
            </div>
          ) : null}
          {preview.data.note ? <div className="alert alert-info">{preview.data.note}</div> : null}

          <section aria-labelledby="promote-commits">
            <h3 id="promote-commits" className="section-title">
              Commits <span className="badge">{preview.data.commits.length}</span>
            </h3>
            {preview.data.commits.length === 0 ? (
              <p className="small muted">
                {source && target && source.sha === target.sha
                  ? `${to} already runs this commit.`
                  : 'No commits to show.'}
              </p>
            ) : (
              <ul className="commit-rows" data-testid="promote-commits">
                {preview.data.commits.map((c) => (
                  <li key={c.sha}>
                    <CommitLine commit={c} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="promote-diff">
            <h3 id="promote-diff" className="section-title">
              Changes
            </h3>
            {preview.data.diff.trim() === '' ? (
              <p className="small muted">No file changes to show.</p>
            ) : (
              <Suspense fallback={<SkeletonLines lines={5} label="Loading diff" />}>
                <DiffView diff={preview.data.diff} truncated={preview.data.diffTruncated} />
              </Suspense>
            )}
          </section>

          <NoRollbackFields
            checked={noRollback}
            onCheckedChange={setNoRollback}
            reason={reason}
            onReasonChange={setReason}
            showProblem={tried}
          />
        </>
      )}
      <InlineError error={promote.error} title="The promote did not start" />
    </Modal>
  );
}
