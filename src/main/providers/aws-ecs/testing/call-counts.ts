// Counts the ECS and load balancer calls a use case sends, by operation, so tests and the benchmark
// speak the same numbers.
import type { FakeEcs } from './fake-ecs.js';

/** Calls a rollout makes while it waits; they depend on how long ECS takes, so they are counted apart. */
export const POLLING = new Set(['DescribeServiceDeployments', 'ListServiceDeployments', 'DescribeServicesPoll']);

/** Every call sent to ECS and ELB, in order within each. */
const sent = (cloud: FakeEcs) => [...cloud.ecs.calls(), ...cloud.elbv2.calls()];

export function countCalls(cloud: FakeEcs): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of sent(cloud)) {
    const name = call.args[0].constructor.name.replace(/Command$/, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Forgets the calls sent so far. */
export function resetCalls(cloud: FakeEcs): void {
  cloud.ecs.resetHistory();
  cloud.elbv2.resetHistory();
}

/** ECS and ELB calls made by `work`, by operation, excluding the rollout's polling after UpdateService. */
export async function measure(
  cloud: FakeEcs,
  work: () => Promise<unknown>,
): Promise<{ total: number; byOperation: Record<string, number> }> {
  resetCalls(cloud);
  await work();
  const byOperation: Record<string, number> = {};
  let updated = false;
  for (const call of sent(cloud)) {
    const name = call.args[0].constructor.name.replace(/Command$/, '');
    if (updated && (POLLING.has(name) || name === 'DescribeServices')) continue;
    if (name === 'UpdateService') updated = true;
    byOperation[name] = (byOperation[name] ?? 0) + 1;
  }
  return { total: Object.values(byOperation).reduce((a, b) => a + b, 0), byOperation };
}
