// withFakeCloud(): a fresh fake AWS account, provider and reporter for each test of the describe block
// it is called in, disposed after each test, so no test sees another's services, calls or caches.
import { afterEach, beforeEach } from 'vitest';
import type { AwsEcsProvider } from '../provider.js';
import { createFakeCloud, type FakeCloud, type FakeCloudOptions } from './fake-cloud.js';
import type { FakeEcs } from './fake-ecs.js';
import { recorder, type RecordedReporter } from './fixtures.js';

export interface FakeCloudPerTest {
  readonly cloud: FakeEcs;
  readonly provider: AwsEcsProvider;
  readonly reporter: RecordedReporter;
}

export function withFakeCloud(options: FakeCloudOptions = {}): FakeCloudPerTest {
  let current: { fake: FakeCloud; reporter: RecordedReporter } | undefined;
  beforeEach(() => {
    current = { fake: createFakeCloud(options), reporter: recorder() };
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.fake.dispose();
  });
  const now = (): { fake: FakeCloud; reporter: RecordedReporter } => {
    if (!current) throw new Error('withFakeCloud() sets up per test: read it inside a test or a hook.');
    return current;
  };
  return {
    get cloud() {
      return now().fake.cloud;
    },
    get provider() {
      return now().fake.provider;
    },
    get reporter() {
      return now().reporter;
    },
  };
}
