// Helpers for providers whose history is cheap to read whole and whose environments are read one by one.
import { AppError } from '../../shared/errors.js';
import type { Release } from '../../shared/model.js';
import type { EnvironmentContext, Provider, ReleasePage, StatusOutcome } from './provider.js';

/** `releases` newest first → the page asked for. */
export function pageOf(releases: readonly Release[], page: ReleasePage | undefined): Release[] {
  const older = page?.before === undefined ? releases : releases.filter((r) => r.version < (page.before ?? 0));
  return page?.limit === undefined ? [...older] : older.slice(0, page.limit);
}

/** statusMany for a provider with nothing to batch: each environment on its own, one failure not failing the rest. */
export function statusEach(provider: Provider, contexts: readonly EnvironmentContext[]): Promise<StatusOutcome[]> {
  return Promise.all(
    contexts.map((ctx) =>
      provider.status(ctx).then(
        (status): StatusOutcome => ({ ok: true, status }),
        (error: unknown): StatusOutcome => ({
          ok: false,
          error:
            error instanceof AppError
              ? error
              : new AppError('PROVIDER_UNAVAILABLE', 'Reading the environment failed unexpectedly.', { cause: error }),
        }),
      ),
    ),
  );
}
