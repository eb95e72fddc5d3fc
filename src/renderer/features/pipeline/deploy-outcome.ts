// What an environment column says about deployments that have finished, and how it asks before an abort.
import type { Deployment } from '../../../shared/model.js';

const finished = (d: Deployment): boolean => d.status === 'succeeded' || d.status === 'failed';

/**
 * The last finished deployment of `environment`, while it is worth showing: a success until the person
 * dismisses it or a new deployment starts, a failure until the person dismisses it.
 */
export function outcomeToShow(
  deployments: readonly Deployment[],
  environment: string,
  dismissed: ReadonlySet<string>,
): Deployment | undefined {
  const mine = deployments.filter((d) => d.environment === environment);
  const last = mine
    .filter(finished)
    .sort((a, b) => (b.finishedAt ?? b.queuedAt).localeCompare(a.finishedAt ?? a.queuedAt))[0];
  if (!last || dismissed.has(last.id)) return undefined;
  if (last.status === 'succeeded' && mine.some((d) => !finished(d))) return undefined;
  return last;
}

/** The step that failed, if the deployment got as far as a step. */
export const failedStep = (d: Deployment) => d.steps.findLast((s) => s.status === 'failed');

/** "Abort the deploy of v5 to production? v4 keeps serving." */
export function abortQuestion(d: Deployment): string {
  const what = d.releaseVersion === undefined ? 'the deploy' : `the deploy of v${d.releaseVersion}`;
  const after =
    d.previousVersion === undefined
      ? `Nothing was serving in ${d.environment}, so nothing will.`
      : `v${d.previousVersion} keeps serving.`;
  return `Abort ${what} to ${d.environment}? ${after}`;
}
