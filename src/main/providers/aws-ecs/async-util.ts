// Small helpers for polling and batching AWS calls.
import { AppError } from '../../../shared/errors.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export const abortError = (): AppError =>
  new AppError('DEPLOY_FAILED', 'The operation was cancelled before it finished.');

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Like Promise.all over `items`, with at most `limit` calls in flight (ECS rate limits per account). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Poll intervals that start short and grow to a ceiling: quick feedback, then fewer calls. */
export function* backoff(firstMs: number, maxMs: number): Generator<number, never> {
  let ms = firstMs;
  for (;;) {
    yield ms;
    ms = Math.min(maxMs, Math.ceil(ms * 1.5));
  }
}
