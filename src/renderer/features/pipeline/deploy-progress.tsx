// The running deployment of one environment, step by step, what waits behind it, a way to abort it,
// and the result of the last one once it has finished.
import { useEffect, useRef, useState } from 'react';
import type { Deployment, DeploymentStep } from '../../../shared/model.js';
import { useAbortDeployment } from '../../api/hooks.js';
import { Actor } from '../../components/badges.js';
import { CheckIcon, ClockIcon, DashIcon, SpinnerIcon, XIcon } from '../../components/icons.js';
import { Modal } from '../../components/modal.js';
import { RelativeTime } from '../../components/relative-time.js';
import { InlineError } from '../../components/states.js';
import { abortQuestion, failedStep, outcomeToShow } from './deploy-outcome.js';

function StepIcon({ status }: { status: DeploymentStep['status'] }) {
  switch (status) {
    case 'running':
      return <SpinnerIcon size={14} style={{ color: 'var(--accent)' }} />;
    case 'succeeded':
      return <CheckIcon size={14} style={{ color: 'var(--success)' }} />;
    case 'failed':
      return <XIcon size={14} style={{ color: 'var(--danger)' }} />;
    case 'skipped':
      return <DashIcon size={14} style={{ color: 'var(--text-faint)' }} />;
  }
}

function Output({ lines }: { lines: string[] }) {
  const ref = useRef<HTMLPreElement>(null);
  // Follow the output as it grows, like a terminal.
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <pre className="output" ref={ref} tabIndex={0} aria-label="Step output">
      {lines.join('\n')}
    </pre>
  );
}

/** Release phase output is always worth reading; other steps' output only while running or when they failed. */
const showOutputOpen = (step: DeploymentStep): boolean =>
  step.status === 'running' || step.status === 'failed' || /release phase/i.test(step.name);

function Steps({ deployment }: { deployment: Deployment }) {
  if (deployment.steps.length === 0) return <p className="small muted">Starting…</p>;
  return (
    <ol className="steps">
      {deployment.steps.map((step, i) => (
        <li key={`${step.name}-${i}`} className={`step step-${step.status}`} data-status={step.status}>
          <span className="step-icon">
            <StepIcon status={step.status} />
          </span>
          <div className="step-body">
            <span className="step-name">
              {step.name}
              <span className="visually-hidden"> ({step.status})</span>
            </span>
            {step.message ? <span className="step-message">{step.message}</span> : null}
            {step.output && step.output.length > 0 ? (
              showOutputOpen(step) ? (
                <Output lines={step.output} />
              ) : (
                <details className="step-output">
                  <summary className="small faint">
                    Output ({step.output.length} {step.output.length === 1 ? 'line' : 'lines'})
                  </summary>
                  <Output lines={step.output} />
                </details>
              )
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

const DISMISSED_KEY = 'slipway.dismissed-deployments';

/** Kept for the tab, so a result dismissed once stays dismissed when the person comes back to the page. */
function readDismissed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(window.sessionStorage.getItem(DISMISSED_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

function rememberDismissed(ids: ReadonlySet<string>): void {
  try {
    // The tracker keeps the latest 200 deployments; older ids can go.
    window.sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...ids].slice(-200)));
  } catch {
    // Without storage a dismissal lasts as long as this view.
  }
}

function AbortDialog({ deployment, onClose }: { deployment: Deployment; onClose: () => void }) {
  const abort = useAbortDeployment();
  const submit = () => {
    if (abort.isPending) return;
    abort.mutate({ pipeline: deployment.pipeline, environment: deployment.environment }, { onSuccess: onClose });
  };
  return (
    <Modal
      title="Abort deploy?"
      description={abortQuestion(deployment)}
      onClose={onClose}
      onSubmit={submit}
      testId="abort-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            Keep deploying
          </button>
          <button type="submit" className="btn btn-danger" disabled={abort.isPending}>
            {abort.isPending ? 'Aborting…' : 'Abort deploy'}
          </button>
        </>
      }
    >
      <p className="small muted">
        {deployment.summary}, started by {deployment.actor.user}. The new instances are stopped and the release is
        marked failed; the abort is recorded in the activity feed.
      </p>
      <InlineError error={abort.error} title="The deploy was not aborted" />
    </Modal>
  );
}

function Outcome({ deployment, onDismiss }: { deployment: Deployment; onDismiss: () => void }) {
  const testId = `env-${deployment.environment}-outcome`;
  const dismiss = (
    <button type="button" className="btn btn-ghost btn-sm" style={{ marginLeft: 'auto' }} onClick={onDismiss}>
      Dismiss
    </button>
  );
  if (deployment.status === 'succeeded') {
    return (
      <section
        className="progress-current"
        // The stylesheet has a failed look only; a success borrows the same shape in its own colour.
        style={{
          borderColor: 'color-mix(in srgb, var(--success) 40%, var(--border))',
          background: 'color-mix(in srgb, var(--success-soft) 70%, var(--surface))',
        }}
        role="status"
        data-testid={testId}
        data-status="succeeded"
      >
        <div className="progress-title">
          <CheckIcon size={14} style={{ color: 'var(--success)' }} />
          <span>
            {deployment.releaseVersion === undefined
              ? `${deployment.summary} finished`
              : `v${deployment.releaseVersion} is live`}
          </span>
          {dismiss}
        </div>
        <p className="small faint">
          {deployment.summary} · <Actor user={deployment.actor.user} /> ·{' '}
          <RelativeTime iso={deployment.finishedAt ?? deployment.queuedAt} />
        </p>
      </section>
    );
  }
  const step = failedStep(deployment);
  const message = deployment.error?.message ?? step?.message ?? `${deployment.summary} failed.`;
  return (
    <section className="progress-current progress-failed" role="alert" data-testid={testId} data-status="failed">
      <div className="progress-title">
        <XIcon size={14} style={{ color: 'var(--danger)' }} />
        <span>{deployment.summary} failed</span>
        {dismiss}
      </div>
      <p className="small" data-testid={`${testId}-message`}>
        {message}
      </p>
      {step ? (
        <div className="small">
          <span className="muted">Failed at </span>
          <strong data-testid={`${testId}-step`}>{step.name}</strong>
          {step.message && step.message !== message ? <span className="step-message"> {step.message}</span> : null}
          {step.output && step.output.length > 0 ? <Output lines={step.output} /> : null}
        </div>
      ) : null}
      <p className="small faint">
        <Actor user={deployment.actor.user} /> · <RelativeTime iso={deployment.finishedAt ?? deployment.queuedAt} />
      </p>
      {deployment.steps.length > 1 ? (
        <details className="step-output">
          <summary className="small faint">All steps ({deployment.steps.length})</summary>
          <Steps deployment={deployment} />
        </details>
      ) : null}
    </section>
  );
}

export function DeployProgress({
  environment,
  deployments,
}: {
  environment: string;
  deployments: readonly Deployment[];
}) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(readDismissed);
  const [confirming, setConfirming] = useState<Deployment | undefined>(undefined);
  const mine = deployments.filter((d) => d.environment === environment);
  const running = mine.find((d) => d.status === 'running');
  const queued = mine.filter((d) => d.status === 'queued').sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  const outcome = outcomeToShow(deployments, environment, dismissed);
  const dismiss = (id: string) =>
    setDismissed((prev) => {
      const next = new Set([...readDismissed(), ...prev, id]);
      rememberDismissed(next);
      return next;
    });

  return (
    <>
      {running || queued.length > 0 ? (
        <section
          className="progress"
          aria-label={`Deploy progress for ${environment}`}
          data-testid={`env-${environment}-progress`}
        >
          {running ? (
            <div className="progress-current" aria-live="polite">
              <div className="progress-title">
                <SpinnerIcon size={14} style={{ color: 'var(--accent)' }} />
                <span>{running.summary}</span>
                {running.abortable ? (
                  <button
                    type="button"
                    className="btn btn-sm"
                    style={{ marginLeft: 'auto' }}
                    onClick={() => setConfirming(running)}
                  >
                    Abort deploy
                  </button>
                ) : null}
              </div>
              <p className="small faint">
                <Actor user={running.actor.user} /> · started{' '}
                <RelativeTime iso={running.startedAt ?? running.queuedAt} />
              </p>
              <Steps deployment={running} />
            </div>
          ) : null}
          {queued.length > 0 ? (
            <div className="progress-queue">
              <h4 className="small muted">
                <ClockIcon size={13} /> Queued ({queued.length})
              </h4>
              <ol>
                {queued.map((d) => (
                  <li key={d.id} className="small">
                    {d.summary} <span className="faint">· {d.actor.user}</span>
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
        </section>
      ) : null}
      {outcome ? <Outcome deployment={outcome} onDismiss={() => dismiss(outcome.id)} /> : null}
      {confirming ? (
        <AbortDialog
          key={confirming.id}
          deployment={mine.find((d) => d.id === confirming.id) ?? confirming}
          onClose={() => setConfirming(undefined)}
        />
      ) : null}
    </>
  );
}
