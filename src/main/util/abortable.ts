// Waiting that an AbortSignal can cut short, and a Reporter that falls silent once its deploy is over.
import type { Reporter } from '../providers/provider.js';

/** Resolves like `work`, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Output of work that outlives an aborted deploy must not be added to the finished deployment. */
export function quietAfter(reporter: Reporter, signal: AbortSignal | undefined): Reporter {
  if (!signal) return reporter;
  return {
    step: (name, message) => {
      if (!signal.aborted) reporter.step(name, message);
    },
    log: (line) => {
      if (!signal.aborted) reporter.log(line);
    },
  };
}
