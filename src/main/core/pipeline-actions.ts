// Creating a pipeline: saved in the workspace under its lock, then written to the activity feed.
import { randomUUID } from 'node:crypto';
import type { Pipeline } from '../../shared/model.js';
import type { CoreDeps } from './core-deps.js';
import { appendAudit } from './release-runner.js';

export async function createPipeline(deps: CoreDeps, pipeline: Pipeline): Promise<Pipeline> {
  // Refusals (name taken, port taken) change nothing and write no event, as for every other action.
  const created = await deps.workspace.create(pipeline);
  const environments = created.environments.map((e) => e.name).join(' → ');
  await appendAudit(deps, {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: await deps.actor(),
    action: 'pipeline.create',
    pipeline: created.name,
    result: 'succeeded',
    summary: `Created pipeline ${created.name} (${environments})`,
  });
  return created;
}
