// Deploy a commit to the first environment: pick one of the recent commits or type any ref.
import { useId, useState } from 'react';
import { useCommits, useDeploy, useDeploymentStarted } from '../../api/hooks.js';
import { NoRollbackFields, reasonProblem } from '../../components/reason-field.js';
import { Modal } from '../../components/modal.js';
import { RelativeTime } from '../../components/relative-time.js';
import { InlineError, SkeletonLines } from '../../components/states.js';

export function DeployDialog({
  pipeline,
  environment,
  onClose,
}: {
  pipeline: string;
  environment: string;
  onClose: () => void;
}) {
  const commits = useCommits(pipeline);
  const deploy = useDeploy();
  const started = useDeploymentStarted(pipeline, environment, onClose);
  const [typed, setTyped] = useState<string | undefined>(undefined);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const [noRollback, setNoRollback] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const refId = useId();

  // Until the person picks or types, the newest commit is the default.
  const ref = (typed ?? picked ?? commits.data?.[0]?.sha ?? '').trim();
  const problem = ref === '' ? 'Pick a commit or type a ref.' : noRollback ? reasonProblem(reason) : undefined;

  const submit = () => {
    setTried(true);
    if (problem || deploy.isPending) return;
    started.arm();
    deploy.mutate(
      { pipeline, environment, ref, ...(noRollback ? { noRollbackReason: reason.trim() } : {}) },
      { onSuccess: onClose, onError: started.disarm },
    );
  };

  return (
    <Modal
      title={`Deploy to ${environment}`}
      description="Builds the commit once, runs the release phase, then swaps instances with no downtime."
      onClose={onClose}
      onSubmit={submit}
      testId="deploy-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={deploy.isPending}>
            {deploy.isPending ? 'Deploying…' : `Deploy to ${environment}`}
          </button>
        </>
      }
    >
      <fieldset className="commit-picker">
        <legend className="field-label">Recent commits</legend>
        {commits.isPending ? (
          <SkeletonLines lines={4} label="Loading commits" />
        ) : commits.isError ? (
          <p className="small muted">Commits are not available: {commits.error.message} Type a ref below instead.</p>
        ) : commits.data.length === 0 ? (
          <p className="small muted">The repository has no commits to show. Type a ref below.</p>
        ) : (
          <div className="commit-list" role="radiogroup" aria-label="Recent commits">
            {commits.data.map((c) => {
              const checked = typed === undefined && (picked ?? commits.data[0]?.sha) === c.sha;
              return (
                <label key={c.sha} className={`commit-option${checked ? ' is-checked' : ''}`}>
                  <input
                    type="radio"
                    name="commit"
                    value={c.sha}
                    checked={checked}
                    onChange={() => {
                      setPicked(c.sha);
                      setTyped(undefined);
                    }}
                  />
                  <span className="sha">{c.shortSha}</span>
                  <span className="commit-subject">{c.subject}</span>
                  <span className="commit-meta faint small">
                    {c.author} · <RelativeTime iso={c.date} />
                  </span>
                </label>
              );
            })}
          </div>
        )}
      </fieldset>

      <div className="field">
        <label className="field-label" htmlFor={refId}>
          Or type a git ref
        </label>
        <input
          id={refId}
          className="input mono"
          placeholder="branch, tag or SHA"
          value={typed ?? ''}
          onChange={(e) => setTyped(e.target.value === '' ? undefined : e.target.value)}
          data-autofocus
          maxLength={200}
        />
      </div>

      <NoRollbackFields
        checked={noRollback}
        onCheckedChange={setNoRollback}
        reason={reason}
        onReasonChange={setReason}
        showProblem={tried}
      />

      {tried && ref === '' ? <p className="field-error">Pick a commit or type a ref.</p> : null}
      <InlineError error={deploy.error} title="The deploy did not start" />
    </Modal>
  );
}
