// Abort the deploy running in an environment: the provider stops it (ECS rolls the service back),
// what was serving keeps serving, and the deployment ends failed with who stopped it.
import type { ProcedureArgs } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Deployment } from '../../shared/model.js';
import type { CoreDeps } from './core-deps.js';
import { DeployAborted } from './release-runner.js';

export async function abortDeployment(deps: CoreDeps, args: ProcedureArgs<'deployments.abort'>): Promise<Deployment> {
  await deps.workspace.get(args.pipeline);
  const running = deps.tracker.listHere(args).find((d) => d.status === 'running' && deps.inflight.has(d.id));
  if (!running) {
    throw new AppError(
      'CONFLICT',
      `Nothing is deploying to ${args.environment} from this Slipway right now, so there is nothing to abort.`,
    );
  }
  const actor = await deps.actor();
  const finished = new Promise<Deployment>((resolve) => {
    const watching = deps.tracker.onDidChange(({ deployment: d }) => {
      if (d.id === running.id && (d.status === 'succeeded' || d.status === 'failed')) {
        void watching.dispose();
        resolve(d);
      }
    });
  });
  deps.inflight.get(running.id)?.abort(new DeployAborted(`Aborted by ${actor.user}`));
  return finished;
}

/** On shutdown: nothing new starts rolling out, whether it runs now or waits in line. */
export function abortAll(deps: CoreDeps): void {
  const reason = new DeployAborted('Slipway was closing');
  deps.closing.abort(reason);
  for (const controller of deps.inflight.values()) controller.abort(reason);
}
