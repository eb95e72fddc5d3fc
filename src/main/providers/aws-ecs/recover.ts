// After a restart: a release left `pending` either finished rolling out while Slipway was away (it is
// now serving), is still being deployed (by ECS, or its release phase by another Slipway), or was
// abandoned. Only the last kind is marked failed.
import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import type { EnvironmentContext } from '../provider.js';
import { describeServiceFresh } from './deployment-watch.js';
import { listReleases, releaseArn, setReleaseStatus } from './releases.js';
import { ecsTarget, type Runtime } from './runtime.js';

export const ABANDONED =
  'The deploy was interrupted (Slipway stopped) before this release served. Deploy it again if you still want it.';

async function releasePhaseTaskDefinitions(rt: Runtime, ctx: EnvironmentContext): Promise<Set<string>> {
  const target = ecsTarget(ctx);
  const session = rt.session(target);
  const listed = await session.ecs(
    new ListTasksCommand({ cluster: target.cluster, startedBy: 'slipway', desiredStatus: 'RUNNING' }),
    `tasks in cluster ${target.cluster}`,
  );
  const arns = (listed.taskArns ?? []).slice(0, 100);
  if (arns.length === 0) return new Set();
  const out = await session.ecs(
    new DescribeTasksCommand({ cluster: target.cluster, tasks: arns }),
    `tasks in cluster ${target.cluster}`,
  );
  return new Set((out.tasks ?? []).flatMap((t) => (t.taskDefinitionArn === undefined ? [] : [t.taskDefinitionArn])));
}

export async function recover(rt: Runtime, ctx: EnvironmentContext): Promise<void> {
  const pending = (await listReleases(rt, ctx)).filter((r) => r.status === 'pending');
  if (pending.length === 0) return;
  const service = await describeServiceFresh(rt.session(ecsTarget(ctx)), ecsTarget(ctx));
  const running = await releasePhaseTaskDefinitions(rt, ctx);
  for (const release of pending) {
    const arn = await releaseArn(rt, ctx, release.version);
    const deployment = service.deployments?.find((d) => d.taskDefinition === arn);
    if (running.has(arn)) continue;
    if (deployment?.status === 'PRIMARY') {
      if (deployment.rolloutState === 'IN_PROGRESS') continue;
      if (deployment.rolloutState !== 'FAILED') {
        await setReleaseStatus(rt, ctx, release.version, 'succeeded');
        continue;
      }
    }
    await setReleaseStatus(rt, ctx, release.version, 'failed', deployment?.rolloutStateReason ?? ABANDONED);
  }
}
