// A team's existing two-environment app on the AWS emulator, made with the AWS SDK the way another tool
// would have: one cluster, services web-staging and web-production with task-definition families of
// their own, images in ECR, env vars, SSM secret references, a health check, awslogs, stopTimeout and
// task roles, in the default VPC (awsvpc). Names carry a random suffix: the emulator is shared and never reset.
import { randomBytes } from 'node:crypto';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export interface EmulatorApp {
  readonly suffix: string;
  readonly cluster: string;
  readonly repository: string;
  /** `ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo` */
  readonly imageName: string;
  /** Tag → digest of the images pushed; each image's manifest carries its commit. */
  readonly digests: Readonly<Record<string, string>>;
  readonly commits: Readonly<Record<string, string>>;
  readonly families: { readonly staging: string; readonly production: string };
  /** `slipway pipelines:create` arguments for this app. */
  readonly createArgs: readonly string[];
  readonly pipeline: string;
}

const sdkConfig = (endpoint: string) => ({
  region: REGION,
  endpoint,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function container(
  app: EmulatorApp['imageName'],
  image: string,
  env: 'staging' | 'production',
  suffix: string,
  commit: string,
): ContainerDefinition {
  return {
    name: 'web',
    image: `${app}${image}`,
    essential: true,
    portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
    environment: [
      { name: 'APP_ENV', value: env },
      { name: 'LOG_LEVEL', value: env === 'staging' ? 'debug' : 'warn' },
      { name: 'GIT_SHA', value: commit },
    ],
    secrets: [
      {
        name: 'DATABASE_URL',
        valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/web-${suffix}/${env}/DATABASE_URL`,
      },
    ],
    healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 10, retries: 3 },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': `/ecs/web-${suffix}`, 'awslogs-region': REGION, 'awslogs-stream-prefix': env },
    },
    stopTimeout: 25,
    // A soft limit under the task's 512 MiB. Fargate needs none, but the emulator's RunTask fails (HTTP 500)
    // on a task definition whose containers set no memory.
    memoryReservation: 256,
  };
}

/** The default VPC's subnets and security group, read with EC2's query API (no EC2 SDK client here). */
async function defaultNetwork(endpoint: string): Promise<{ subnets: string[]; securityGroups: string[] }> {
  const ec2 = async (query: string, tag: string): Promise<string[]> => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        // The emulator routes by the credential scope and does not check the signature.
        authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `Version=2016-11-15&${query}`,
    });
    const xml = await res.text();
    return [...xml.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
  };
  const subnets = await ec2('Action=DescribeSubnets&Filter.1.Name=default-for-az&Filter.1.Value.1=true', 'subnetId');
  const securityGroups = await ec2('Action=DescribeSecurityGroups&GroupName.1=default', 'groupId');
  if (subnets.length === 0 || securityGroups.length === 0) throw new Error('The emulator has no default VPC.');
  return { subnets: subnets.slice(0, 2), securityGroups: securityGroups.slice(0, 1) };
}

/** `revisions` revisions in each family (the service runs the newest); production's circuit breaker is off. */
export async function createEmulatorApp(endpoint: string, revisions = 1): Promise<EmulatorApp> {
  const suffix = randomBytes(4).toString('hex');
  const ecs = new ECSClient(sdkConfig(endpoint));
  const ecr = new ECRClient(sdkConfig(endpoint));
  try {
    const repository = `web-${suffix}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
    const imageName = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${repository}`;
    const digests: Record<string, string> = {};
    const commits: Record<string, string> = {};
    for (const tag of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
      const commit = randomBytes(20).toString('hex');
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${randomBytes(32).toString('hex')}`,
          size: 100,
        },
        // The emulator computes an image's digest from its layers' digests.
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: `sha256:${randomBytes(32).toString('hex')}`,
            size: 1000,
          },
        ],
        annotations: { 'org.opencontainers.image.revision': commit },
      });
      const out = await ecr.send(
        new PutImageCommand({
          repositoryName: repository,
          imageTag: tag,
          imageManifest: manifest,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        }),
      );
      digests[tag] = out.image?.imageId?.imageDigest ?? '';
      commits[tag] = commit;
    }

    const network = await defaultNetwork(endpoint);
    const cluster = `slipway-${suffix}`;
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const families = { staging: `web-staging-${suffix}`, production: `web-production-${suffix}` };
    for (const env of ['staging', 'production'] as const) {
      let arn = '';
      for (let i = 1; i <= revisions; i++) {
        // Staging runs a tag, production a digest: both are what teams do.
        const image = env === 'staging' ? ':v1.0.0' : `@${digests['v1.0.0']}`;
        const out = await ecs.send(
          new RegisterTaskDefinitionCommand({
            family: families[env],
            requiresCompatibilities: ['FARGATE'],
            networkMode: 'awsvpc',
            cpu: '256',
            memory: '512',
            taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-${env}-task`,
            executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
            containerDefinitions: [container(imageName, image, env, suffix, commits['v1.0.0'] ?? '')],
            tags: [{ key: 'team', value: 'web' }],
          }),
        );
        arn = out.taskDefinition?.taskDefinitionArn ?? '';
      }
      await ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: `web-${env}`,
          taskDefinition: arn,
          desiredCount: 2,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { ...network, assignPublicIp: 'DISABLED' } },
          deploymentConfiguration: {
            minimumHealthyPercent: 100,
            maximumPercent: 200,
            deploymentCircuitBreaker: { enable: env === 'staging', rollback: env === 'staging' },
          },
        }),
      );
      // The emulator leaves a new service's first deployment in progress; a long-running service's has
      // completed, which a forced new deployment gives (the emulator completes it at once).
      await ecs.send(new UpdateServiceCommand({ cluster, service: `web-${env}`, forceNewDeployment: true }));
    }
    const pipeline = `web-${suffix}`;
    return {
      suffix,
      cluster,
      repository,
      imageName,
      digests,
      commits,
      families,
      pipeline,
      createArgs: [
        'pipelines:create',
        pipeline,
        '--provider',
        'aws-ecs',
        '--region',
        REGION,
        '--env',
        `staging=${cluster}/web-staging`,
        '--env',
        `production=${cluster}/web-production`,
      ],
    };
  } finally {
    ecs.destroy();
    ecr.destroy();
  }
}
