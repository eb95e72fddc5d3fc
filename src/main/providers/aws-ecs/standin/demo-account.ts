// The demo AWS account the stand-in starts with: an ECR repository `shop` and two clusters, staging
// and production, each running a service `shop-web` the way a team sets one up by hand (not yet
// deployed by Slipway): an app container pinned by digest, env vars, a secret reference, a port,
// awslogs logging and minimum healthy 100%. Staging has the deployment circuit breaker on; production
// was set up before it existed and has it off, as many older services do. Each service sits behind
// its own application load balancer, so each environment has an address.
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { ACCOUNT, type FakeEcsModel } from '../testing/fake-ecs-model.js';
import { exposeService, type FakeElbModel } from '../testing/fake-elb-model.js';
import type { EcrModel } from './ecr-model.js';

export const DEMO_REGION = 'eu-west-1';
export const DEMO_REPOSITORY = 'shop';
export const DEMO_IMAGE_NAME = `${ACCOUNT}.dkr.ecr.${DEMO_REGION}.amazonaws.com/${DEMO_REPOSITORY}`;
export const DEMO_CLUSTERS = ['staging', 'production'] as const;
export const DEMO_SERVICE = 'shop-web';
/** The `slipway` command line that makes pipeline shop over the demo services: staging → production. */
export const DEMO_PIPELINE_CREATE = [
  'pipelines:create',
  'shop',
  '--provider',
  'aws-ecs',
  '--region',
  DEMO_REGION,
  ...DEMO_CLUSTERS.flatMap((cluster) => ['--env', `${cluster}=${cluster}/${DEMO_SERVICE}`]),
];
/** The DNS name of each environment's load balancer. */
export const DEMO_ADDRESSES: Readonly<Record<(typeof DEMO_CLUSTERS)[number], string>> = {
  staging: `shop-staging-1234567890.${DEMO_REGION}.elb.amazonaws.com`,
  production: `shop-production-987654321.${DEMO_REGION}.elb.amazonaws.com`,
};
/** The git revisions the two pushed images were built from. */
export const DEMO_REVISIONS = {
  running: '3f1c2a9d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c',
  next: '9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
} as const;

export interface DemoAccount {
  /** The image both services run (tag v1.3.0), pinned by digest. */
  readonly runningImage: string;
  /** A newer image pushed but not deployed (tags v1.4.0 and latest). */
  readonly nextImage: string;
}

function shopTaskDefinition(env: (typeof DEMO_CLUSTERS)[number], image: string): RegisterTaskDefinitionRequest {
  const family = `shop-web-${env}`;
  return {
    family,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/shop-${env}-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/shop-${env}-execution`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: env === 'production' ? '1024' : '512',
    memory: env === 'production' ? '2048' : '1024',
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    containerDefinitions: [
      {
        name: 'app',
        image,
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
        healthCheck: {
          command: ['CMD-SHELL', 'curl -fs http://localhost:8080/healthz || exit 1'],
          interval: 10,
          timeout: 5,
          retries: 3,
          startPeriod: 15,
        },
        environment: [
          { name: 'APP_ENV', value: env },
          { name: 'PORT', value: '8080' },
          { name: 'LOG_LEVEL', value: env === 'production' ? 'warn' : 'debug' },
          {
            name: 'SHOP_URL',
            value: env === 'production' ? 'https://shop.example.com' : 'https://staging.shop.example.com',
          },
        ],
        secrets: [
          {
            name: 'DATABASE_URL',
            valueFrom: `arn:aws:secretsmanager:${DEMO_REGION}:${ACCOUNT}:secret:shop/${env}/DATABASE_URL-Ab12Cd`,
          },
        ],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': `/ecs/${family}`,
            'awslogs-region': DEMO_REGION,
            'awslogs-stream-prefix': 'shop',
          },
        },
        stopTimeout: 30,
      },
    ],
    tags: [
      { key: 'team', value: 'shop' },
      { key: 'environment', value: env },
    ],
  };
}

export function seedDemoAccount(ecs: FakeEcsModel, ecr: EcrModel, elb: FakeElbModel): DemoAccount {
  const running = ecr.push(DEMO_REPOSITORY, { tags: ['v1.3.0'], revision: DEMO_REVISIONS.running });
  const next = ecr.push(DEMO_REPOSITORY, { tags: ['v1.4.0', 'latest'], revision: DEMO_REVISIONS.next });
  const runningImage = `${DEMO_IMAGE_NAME}@${running.digest}`;
  for (const env of DEMO_CLUSTERS) {
    ecs.addService(env, DEMO_SERVICE, shopTaskDefinition(env, runningImage), {
      desiredCount: 2,
      runningCount: 2,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker:
          env === 'production' ? { enable: false, rollback: false } : { enable: true, rollback: true },
      },
    });
    exposeService(ecs, elb, { cluster: env, service: DEMO_SERVICE, dnsName: DEMO_ADDRESSES[env] });
  }
  return { runningImage, nextImage: `${DEMO_IMAGE_NAME}@${next.digest}` };
}
