import { BatchGetImageCommand, ECRClient, GetDownloadUrlForLayerCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors.js';
import { createAwsEcsProvider } from './provider.js';
import { splitWords, commandArgv } from './shell-words.js';
import { decodeTagValue, encodeTagValue } from './tags.js';
import { awsError, FakeEcs } from './testing/fake-ecs.js';
import { DIGEST_B, ecsContext, IMAGE_REPO, recorder, webTaskDefinition } from './testing/fixtures.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
/** ECR's answer to BatchGetImage: the image's digest and manifest. */
const image = (manifest: object) => ({
  images: [{ imageId: { imageDigest: DIGEST_B }, imageManifest: JSON.stringify(manifest) }],
});

describe('aws-ecs resolveArtifact', () => {
  let cloud: FakeEcs;
  const ecr = mockClient(ECRClient);
  beforeEach(() => {
    cloud = new FakeEcs();
    cloud.addService('apps', 'web-staging', webTaskDefinition());
    ecr.reset();
    ecr.on(BatchGetImageCommand).resolves(image({}));
  });
  afterEach(() => cloud.restore());
  afterAll(() => ecr.restore());

  it('pins an ECR tag to its digest and reads the revision from the image config label', async () => {
    ecr.on(BatchGetImageCommand).resolves(image({ config: { digest: 'sha256:cfg' } }));
    ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: 'https://example.invalid/cfg' });
    const fetchStub = (async () =>
      new Response(
        JSON.stringify({ config: { Labels: { 'org.opencontainers.image.revision': SHA } } }),
      )) as typeof fetch;
    const provider = createAwsEcsProvider({ fetch: fetchStub });
    const resolved = await provider.resolveArtifact(ecsContext(), `${IMAGE_REPO}:v2`, recorder());
    expect(resolved).toEqual({ artifact: { kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}` } }, sha: SHA });
    // One BatchGetImage pins the tag and reads the manifest.
    expect(ecr.commandCalls(BatchGetImageCommand).map((c) => c.args[0].input)).toEqual([
      {
        registryId: '123456789012',
        repositoryName: 'web',
        imageIds: [{ imageTag: 'v2' }],
        acceptedMediaTypes: expect.arrayContaining(['application/vnd.oci.image.index.v1+json']),
      },
    ]);
  });

  it('pins every container that runs the app’s repository, and leaves sidecars out', async () => {
    const td = webTaskDefinition('web-worker');
    const web = td.containerDefinitions?.[0];
    if (web) td.containerDefinitions?.push({ ...structuredClone(web), name: 'worker', command: ['bin/worker'] });
    cloud.addService('apps', 'web-worker', td);
    const resolved = await createAwsEcsProvider().resolveArtifact(
      ecsContext({ service: 'web-worker' }),
      'v2',
      recorder(),
    );
    expect(resolved.artifact).toEqual({
      kind: 'images',
      images: { web: `${IMAGE_REPO}@${DIGEST_B}`, worker: `${IMAGE_REPO}@${DIGEST_B}` },
    });
  });

  it('falls back to a GIT_SHA variable baked into the image', async () => {
    ecr.on(BatchGetImageCommand).resolves(image({ config: { digest: 'sha256:cfg' } }));
    ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: 'https://example.invalid/cfg' });
    const fetchStub = (async () =>
      new Response(JSON.stringify({ config: { Labels: null, Env: ['PATH=/bin', `GIT_SHA=${SHA}`] } }))) as typeof fetch;
    const resolved = await createAwsEcsProvider({ fetch: fetchStub }).resolveArtifact(
      ecsContext(),
      `${IMAGE_REPO}:v2`,
      recorder(),
    );
    expect(resolved.sha).toBe(SHA);
  });

  it('takes a bare tag in the repository the app container runs now', async () => {
    ecr.on(BatchGetImageCommand).resolves(image({ annotations: { 'org.opencontainers.image.revision': SHA } }));
    const reporter = recorder();
    const resolved = await createAwsEcsProvider().resolveArtifact(ecsContext(), 'v1.4.0', reporter);
    expect(resolved).toEqual({ artifact: { kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}` } }, sha: SHA });
    expect(ecr.commandCalls(BatchGetImageCommand).map((c) => c.args[0].input.imageIds)).toEqual([
      [{ imageTag: 'v1.4.0' }],
    ]);
    expect(reporter.lines[0]).toBe(`v1.4.0 is in ${IMAGE_REPO}, the repository container web runs now`);

    const byDigest = await createAwsEcsProvider().resolveArtifact(ecsContext(), DIGEST_B, recorder());
    expect(byDigest.artifact).toEqual({ kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}` } });
    expect(ecr.commandCalls(BatchGetImageCommand)[1]?.args[0].input.imageIds).toEqual([{ imageDigest: DIGEST_B }]);
  });

  it('says which repository has no such tag', async () => {
    // ECR answers a missing tag with a failure, not an error.
    ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [
        { imageId: { imageTag: 'v9' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      ],
    });
    const error = await createAwsEcsProvider()
      .resolveArtifact(ecsContext(), 'v9', recorder())
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('NOT_FOUND');
    expect((error as Error).message).toBe(
      `ECR repository web (account 123456789012, eu-west-1) has no image tagged v9, so ${IMAGE_REPO}:v9 cannot be deployed. Push it first, or check the tag.`,
    );

    ecr
      .on(BatchGetImageCommand)
      .rejects(awsError('RepositoryNotFoundException', "The repository 'api' does not exist"));
    const missingRepo = await createAwsEcsProvider()
      .resolveArtifact(ecsContext(), IMAGE_REPO.replace(/web$/, 'api:v1'), recorder())
      .catch((e: unknown) => e);
    expect(isAppError(missingRepo) && missingRepo.code).toBe('NOT_FOUND');
    expect((missingRepo as Error).message).toContain('ECR has no repository api (account 123456789012, eu-west-1)');
  });

  it('takes a bare tag in a registry outside ECR only pinned, as for a full reference', async () => {
    const td = webTaskDefinition('web-edge');
    const app = td.containerDefinitions?.[0];
    if (app) app.image = `nginx@${DIGEST_B}`;
    cloud.addService('apps', 'web-edge', td);
    const error = await createAwsEcsProvider()
      .resolveArtifact(ecsContext({ service: 'web-edge' }), '1.27', recorder())
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
    expect((error as Error).message).toContain('nginx:1.27 is not in Amazon ECR');
    expect(ecr.commandCalls(BatchGetImageCommand)).toHaveLength(0);
  });

  it('refuses a moving tag outside ECR, and accepts it pinned by digest', async () => {
    const provider = createAwsEcsProvider();
    const error = await provider.resolveArtifact(ecsContext(), 'nginx:1.27', recorder()).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
    const pinned = await provider.resolveArtifact(ecsContext(), `nginx@${DIGEST_B}`, recorder());
    expect(pinned.artifact).toEqual({ kind: 'images', images: { web: `nginx@${DIGEST_B}` } });
  });
});

describe('aws-ecs text helpers', () => {
  it('splits commands like a shell, and hands shell syntax to sh -c', () => {
    expect(splitWords(`bin/rails runner 'puts "hi there"' --flag="a b"`)).toEqual([
      'bin/rails',
      'runner',
      'puts "hi there"',
      '--flag=a b',
    ]);
    expect(commandArgv('echo "a && b"')).toEqual(['echo', 'a && b']);
    expect(commandArgv('bin/migrate && bin/seed')).toEqual(['sh', '-c', 'bin/migrate && bin/seed']);
  });

  it('stores any text in a tag value ECS accepts, and reads it back', () => {
    for (const text of ['Deploy 1a2b3c4', 'Fix (#12), "quotes" & ünïcode ✓', 'b64:looks encoded', 'x'.repeat(600)]) {
      const encoded = encodeTagValue(text);
      expect(encoded).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u);
      if (text.length < 200) expect(decodeTagValue(encoded)).toBe(text);
    }
    expect(decodeTagValue(encodeTagValue('y'.repeat(600)))).toMatch(/^y+…$/);
  });
});
