// The running deployment of one environment, step by step, and what waits behind it.
import { useEffect, useRef, useState } from 'react';
import type { Deployment, DeploymentStep } from '../../../shared/model.js';
import { Actor } from '../../components/badges.js';
import { CheckIcon, ClockIcon, DashIcon, SpinnerIcon, XIcon } from '../../components/icons.js';
import { RelativeTime } from '../../components/relative-time.js';

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

export function DeployProgress({
  environment,
  deployments,
}: {
  environment: string;
  deployments: readonly Deployment[];
}) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const mine = deployments.filter((d) => d.environment === environment);
  const running = mine.find((d) => d.status === 'running');
  const queued = mine.filter((d) => d.status === 'queued').sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  const newest = mine[0];
  const failed = !running && newest?.status === 'failed' && !dismissed.has(newest.id) ? newest : undefined;

  if (!running && queued.length === 0 && !failed) return null;

  return (
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
          </div>
          <p className="small faint">
            <Actor user={running.actor.user} /> · started <RelativeTime iso={running.startedAt ?? running.queuedAt} />
          </p>
          <Steps deployment={running} />
        </div>
      ) : null}
      {failed ? (
        <div className="progress-current progress-failed" role="alert">
          <div className="progress-title">
            <XIcon size={14} style={{ color: 'var(--danger)' }} />
            <span>{failed.summary} failed</span>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              style={{ marginLeft: 'auto' }}
              onClick={() => setDismissed((prev) => new Set(prev).add(failed.id))}
            >
              Dismiss
            </button>
          </div>
          {failed.error && !failed.steps.some((s) => s.message === failed.error?.message) ? (
            <p className="small">{failed.error.message}</p>
          ) : null}
          <Steps deployment={failed} />
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
  );
}
