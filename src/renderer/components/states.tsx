// Loading, empty and error states, so every view says what is going on.
import type { ReactNode } from 'react';
import type { AppError } from '../../shared/errors.js';
import { AlertIcon } from './icons.js';

export function Skeleton({ width = '100%', height = 14 }: { width?: string | number; height?: number }) {
  return <span className="skeleton" style={{ width, height }} />;
}

export function SkeletonLines({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} width={`${90 - ((i * 17) % 40)}%`} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <p className="state-title">{title}</p>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong. Try again.';

/** A whole view that could not load: the server's sentence and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  title = 'Could not load this',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="state" role="alert">
      <AlertIcon size={22} style={{ color: 'var(--danger)' }} />
      <p className="state-title">{title}</p>
      <p>{messageOf(error)}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** An action that failed: shown where the person acted, with the server's message. */
export function InlineError({ error, title }: { error: AppError | Error | null | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div className="alert alert-danger" role="alert" data-testid="inline-error">
      <AlertIcon style={{ color: 'var(--danger)', marginTop: 2, flex: 'none' }} />
      <div className="alert-body">
        {title ? <span className="alert-title">{title}</span> : null}
        <span>{messageOf(error)}</span>
      </div>
    </div>
  );
}
