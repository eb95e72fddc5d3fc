// Counts the ECS calls a use case sends, by operation, so tests and the benchmark speak the same numbers.
import type { FakeEcs } from './fake-ecs.js';

/** Calls a rollout makes while it waits; they depend on how long ECS takes, so they are counted apart. */
export const POLLING = new Set(['DescribeServiceDeployments', 'ListServiceDeployments', 'DescribeServicesPoll']);

export function countCalls(cloud: FakeEcs): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of cloud.ecs.calls()) {
    const name = call.args[0].constructor.name.replace(/Command$/, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** ECS calls made by `work`, by operation, excluding the rollout's polling after UpdateService. */
export async function measure(
  cloud: FakeEcs,
  work: () => Promise<unknown>,
): Promise<{ total: number; byOperation: Record<string, number> }> {
  cloud.ecs.resetHistory();
  await work();
  const byOperation: Record<string, number> = {};
  let updated = false;
  for (const call of cloud.ecs.calls()) {
    const name = call.args[0].constructor.name.replace(/Command$/, '');
    if (updated && (POLLING.has(name) || name === 'DescribeServices')) continue;
    if (name === 'UpdateService') updated = true;
    byOperation[name] = (byOperation[name] ?? 0) + 1;
  }
  return { total: Object.values(byOperation).reduce((a, b) => a + b, 0), byOperation };
}
