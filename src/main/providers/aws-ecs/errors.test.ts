import { Readable } from 'node:stream';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors.js';
import { isAppError, toWire } from '../../../shared/errors.js';
import { clientConfig, type AwsClients, type ClientKey } from './clients.js';
import { createAwsEcsProvider } from './provider.js';
import { awsError } from './testing/fake-ecs.js';
import { deploySpec, ecsContext, recorder, webTaskDefinition } from './testing/fixtures.js';
import { withFakeCloud } from './testing/with-fake-cloud.js';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('aws-ecs error mapping (mocked cloud)', () => {
  const aws = withFakeCloud();

  it('names `aws sso login --profile NAME` when the SSO session expired', async () => {
    const expired = Object.assign(
      new Error(
        'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      ),
      {
        name: 'CredentialsProviderError',
      },
    );
    aws.cloud.ecs.on(DescribeServicesCommand).rejects(expired);
    const error = await failure(aws.provider.status(ecsContext({ profile: 'acme-dev' })));
    expect(error.code).toBe('PROVIDER_DENIED');
    expect(error.message).toContain('aws sso login --profile acme-dev');
    expect(error.cause).toBe(expired);
  });

  it('reads a refused iam:PassRole from ECS’s ClientException as PROVIDER_DENIED, and a quota as no throttling', async () => {
    aws.cloud.addService('apps', 'web-staging', webTaskDefinition());
    aws.cloud.ecs
      .on(RegisterTaskDefinitionCommand)
      .rejectsOnce(
        awsError(
          'ClientException',
          'User: arn:aws:sts::123456789012:assumed-role/dev/ada is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/web-task',
        ),
      )
      .rejectsOnce(awsError('LimitExceededException', 'The limit for the resource was exceeded.'));
    const denied = await failure(aws.provider.createRelease(ecsContext(), deploySpec));
    expect(denied.code).toBe('PROVIDER_DENIED');
    expect(denied.message).toContain('allow iam:PassRole');
    const quota = await failure(aws.provider.createRelease(ecsContext(), deploySpec));
    expect(quota.code).toBe('PROVIDER_UNAVAILABLE');
    expect(quota.message).not.toMatch(/throttl/i);
    expect(quota.message).toContain('limit for the resource was exceeded');
  });

  it('names the IAM action AWS refused', async () => {
    aws.cloud.addService('apps', 'web-staging', webTaskDefinition());
    const ctx = ecsContext();
    const release = await aws.provider.createRelease(ctx, deploySpec);
    aws.cloud.ecs
      .on(UpdateServiceCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/dev/ada is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:eu-west-1:123456789012:service/apps/web-staging`,
          400,
        ),
      );
    const error = await failure(aws.provider.rollout(ctx, release, recorder(), new AbortController().signal));
    expect(error.code).toBe('PROVIDER_DENIED');
    expect(error.message).toContain('ecs:UpdateService');
    expect(toWire(error).details).toMatchObject({ action: 'ecs:UpdateService', requestId: 'req-1' });
  });

  it('answers NOT_FOUND naming the service and cluster, and PROVIDER_UNAVAILABLE for other failures', async () => {
    const missing = await failure(aws.provider.status(ecsContext({ service: 'api', cluster: 'apps' })));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/service api .*cluster apps/);

    aws.cloud.ecs.on(DescribeServicesCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    const noCluster = await failure(aws.provider.status(ecsContext({ cluster: 'gone' })));
    expect(noCluster.code).toBe('NOT_FOUND');
    expect(noCluster.message).toContain('cluster gone');

    const boom = awsError('ServerException', 'Internal error', 500);
    aws.cloud.ecs.on(DescribeServicesCommand).rejects(boom);
    const down = await failure(aws.provider.status(ecsContext()));
    expect(down.code).toBe('PROVIDER_UNAVAILABLE');
    expect(down.cause).toBe(boom);

    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    aws.cloud.ecs.on(DescribeServicesCommand).rejects(refused);
    const unreachable = await failure(aws.provider.status(ecsContext()));
    expect(unreachable.code).toBe('PROVIDER_UNAVAILABLE');
    expect(unreachable.message).toMatch(
      /could not reach AWS for ecs:DescribeServices .*\(ECONNREFUSED\).*AWS_ENDPOINT_URL/,
    );
  });
});

describe('aws-ecs clients (real SDK stack, stubbed wire)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  /** Answers like ECS over HTTP: `throttles` ThrottlingExceptions, then an empty DescribeServices. */
  function wire(throttles: number) {
    const seen: { hostname: string; port?: number | undefined }[] = [];
    const handler = {
      handle: async (request: { hostname: string; port?: number }) => {
        seen.push({ hostname: request.hostname, port: request.port });
        const throttled = seen.length <= throttles;
        const body = throttled
          ? { __type: 'ThrottlingException', message: 'Rate exceeded' }
          : { services: [], failures: [{ arn: 'x', reason: 'MISSING' }] };
        return {
          response: {
            statusCode: throttled ? 400 : 200,
            headers: {
              'content-type': 'application/x-amz-json-1.1',
              ...(throttled ? { 'x-amzn-errortype': 'ThrottlingException' } : {}),
            },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    };
    const factory = (key: ClientKey): AwsClients => {
      const config = {
        ...clientConfig(key),
        requestHandler: handler,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
      };
      return {
        ecs: new ECSClient(config),
        ecr: new ECRClient(config),
        logs: new CloudWatchLogsClient(config),
        sts: new STSClient(config),
        elb: new ElasticLoadBalancingV2Client(config),
      };
    };
    return { seen, factory };
  }

  it('uses adaptive retry and a profile, and sets no endpoint of its own', () => {
    expect(clientConfig({ profile: 'acme-dev', region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      profile: 'acme-dev',
      retryMode: 'adaptive',
      maxAttempts: 6,
    });
    expect(clientConfig({ region: 'eu-west-1' })).not.toHaveProperty('endpoint');
  });

  it('retries throttled calls: ECS sees several attempts and the call succeeds', async () => {
    const { seen, factory } = wire(1);
    const provider = createAwsEcsProvider({ clientFactory: factory });
    const error = await failure(provider.status(ecsContext()));
    // The second attempt got through: the service simply does not exist in the stub.
    expect(error.code).toBe('NOT_FOUND');
    expect(seen).toHaveLength(2);
  }, 20_000);

  it('honours AWS_ENDPOINT_URL_ECS', async () => {
    process.env.AWS_ENDPOINT_URL_ECS = 'http://127.0.0.1:4566';
    const { seen, factory } = wire(0);
    await failure(createAwsEcsProvider({ clientFactory: factory }).status(ecsContext()));
    expect(seen[0]).toEqual({ hostname: '127.0.0.1', port: 4566 });
  });
});
