// A card that shows what a query loaded, a skeleton until then, or what went wrong and a retry.
import type { ReactNode } from 'react';
import { ErrorState, SkeletonLines } from './states.js';

/** What the card needs of a query; react-query's plain and infinite results both fit. */
interface CardQuery<T> {
  readonly data: T | undefined;
  readonly isError: boolean;
  readonly error: unknown;
  refetch(): unknown;
}

interface QueryCardProps<T> {
  readonly query: CardQuery<T>;
  /** What is loading, e.g. "Loading config", and how many skeleton lines stand for it. */
  readonly loading: { readonly label: string; readonly lines: number };
  readonly errorTitle: string;
  readonly children: (data: T) => ReactNode;
}

export function QueryCard<T>({ query, loading, errorTitle, children }: QueryCardProps<T>) {
  return (
    <div className="card">
      {query.isError ? (
        <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data === undefined ? (
        <div className="card-body">
          <SkeletonLines lines={loading.lines} label={loading.label} />
        </div>
      ) : (
        children(query.data)
      )}
    </div>
  );
}
