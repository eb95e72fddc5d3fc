import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { describeProviderConformance } from '../conformance.js';
import { createAwsEcsProvider } from './provider.js';
import { revisionOfArn } from './runtime.js';
import { FakeEcs } from './testing/fake-ecs.js';
import { DIGEST_B, ecsContext, fastPolling, IMAGE_REPO, webTaskDefinition } from './testing/fixtures.js';

describeProviderConformance('aws-ecs', async () => {
  const cloud = new FakeEcs();
  cloud.addService('apps', 'web-staging', webTaskDefinition());
  const ecr = mockClient(ECRClient);
  ecr
    .on(BatchGetImageCommand)
    .callsFake((input: { imageIds?: { imageTag?: string }[] }) =>
      input.imageIds?.[0]?.imageTag === 'v1.2.0'
        ? { images: [{ imageId: { imageDigest: DIGEST_B }, imageManifest: '{}' }] }
        : { images: [], failures: [{ imageId: input.imageIds?.[0], failureCode: 'ImageNotFound' }] },
    );
  const provider = createAwsEcsProvider({ ...fastPolling, tagsTtlMs: 0 });
  const ctx = ecsContext({ releaseCommand: 'bin/migrate' });
  return {
    provider,
    ctx,
    ref: `${IMAGE_REPO}:v1.2.0`,
    badRef: `${IMAGE_REPO}:no-such-tag`,
    unhealthyConfig: { FAIL_HEALTHCHECK: { value: '1', secret: false } },
    async readServing() {
      const arn = cloud.service('apps', 'web-staging')?.taskDefinition ?? '';
      // A release's number is the revision number.
      return { version: revisionOfArn(arn) };
    },
    async dispose() {
      await provider.dispose();
      cloud.restore();
      ecr.restore();
    },
  };
});
