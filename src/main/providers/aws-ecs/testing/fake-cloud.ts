// A fake AWS account with an aws-ecs provider wired to it: what every aws-ecs test and benchmark
// starts from. Tests get one per test through withFakeCloud(); benchmarks call createFakeCloud().
import { createAwsEcsProvider, type AwsEcsProvider } from '../provider.js';
import type { AwsEcsOptions } from '../runtime.js';
import { FakeEcs } from './fake-ecs.js';
import { fastPolling, webTaskDefinition } from './fixtures.js';

export interface FakeCloudOptions {
  /** Services to create in cluster `apps` before the test, each running webTaskDefinition(its name). */
  readonly services?: readonly string[];
  /** Provider options on top of instant polling. */
  readonly provider?: AwsEcsOptions;
}

export interface FakeCloud {
  readonly cloud: FakeEcs;
  readonly provider: AwsEcsProvider;
  dispose(): Promise<void>;
}

export function createFakeCloud(options: FakeCloudOptions = {}): FakeCloud {
  const cloud = new FakeEcs();
  for (const service of options.services ?? []) cloud.addService('apps', service, webTaskDefinition(service));
  const provider = createAwsEcsProvider({ ...fastPolling, ...options.provider });
  return {
    cloud,
    provider,
    async dispose() {
      await provider.dispose();
      cloud.restore();
    },
  };
}
