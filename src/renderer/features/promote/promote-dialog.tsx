// What a promote would ship — commits, file diff, compare link — and the button that ships it.
import { lazy, Suspense, useState } from 'react';
import type { PromotePreview } from '../../../shared/contract/index.js';
import { isAppError } from '../../../shared/errors.js';
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

  // The preview the person is reading stays put while they read it, even when a teammate's deploy
  // refreshes the query: the promote names its source version, and only "Review again" moves it on.
  const [reviewed, setReviewed] = useState<PromotePreview | undefined>(undefined);
  // Cached data from an earlier opening is shown while it is read again, and only the fresh answer is kept.
  if (reviewed === undefined && preview.data !== undefined && !preview.isFetching) setReviewed(preview.data);
  const shown = reviewed ?? preview.data;

  const source = shown?.from.release;
  const target = shown?.to.release;
  const canPromote = reviewed !== undefined && source !== undefined;
  // The source moved since this preview: the server named both versions; offer a fresh review.
  const sourceMoved = isAppError(promote.error) && promote.error.details?.reviewedVersion !== undefined;
  const reviewAgain = () => {
    promote.reset();
    void preview.refetch().then((fresh) => {
      if (fresh.data) setReviewed(fresh.data);
    });
  };

  const submit = () => {
    setTried(true);
    if (!canPromote || promote.isPending || sourceMoved) return;
    if (noRollback && reasonProblem(reason)) return;
    started.arm();
    promote.mutate(
      // What was reviewed is what ships: if the source moved since the preview, the promote is refused.
      { pipeline, from, to, sourceVersion: source.version, ...(noRollback ? { noRollbackReason: reason.trim() } : {}) },
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
          disabled={!canPromote || sourceMoved}
          autoFocus
        />
      }
    >
      {shown === undefined && preview.isPending ? (
        <SkeletonLines lines={6} label="Loading what would ship" />
      ) : shown === undefined ? (
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
            {shown.compareUrl ? (
              <a
                className="btn btn-sm"
                href={shown.compareUrl}
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
          {shown.note ? <div className="alert alert-info">{shown.note}</div> : null}

          <section aria-labelledby="promote-commits">
            <h3 id="promote-commits" className="section-title">
              Commits <span className="badge">{shown.commits.length}</span>
            </h3>
            {shown.commits.length === 0 ? (
              <p className="small muted">
                {source && target && source.sha === target.sha
                  ? `${to} already runs this commit.`
                  : 'No commits to show.'}
              </p>
            ) : (
              <ul className="commit-rows" data-testid="promote-commits">
                {shown.commits.map((c) => (
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
            {shown.diff.trim() === '' ? (
              <p className="small muted">No file changes to show.</p>
            ) : (
              <Suspense fallback={<SkeletonLines lines={5} label="Loading diff" />}>
                <DiffView diff={shown.diff} truncated={shown.diffTruncated} />
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
      {sourceMoved ? (
        <button type="button" className="btn btn-sm" onClick={reviewAgain} data-testid="promote-review-again">
          Review again
        </button>
      ) : null}
    </Modal>
  );
}
