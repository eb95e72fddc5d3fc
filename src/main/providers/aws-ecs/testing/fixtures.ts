// A realistic task definition and environment for the aws-ecs tests: every field a team might set,
// so a test can prove each one is carried over untouched.
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { EnvironmentContext, ReleaseSpec, Reporter } from '../../provider.js';
import { ACCOUNT } from './fake-ecs.js';

export const IMAGE_REPO = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/web`;
export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:web/DATABASE_URL-AbCdEf`;

export function webTaskDefinition(family = 'web-staging'): RegisterTaskDefinitionRequest {
  return {
    family,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-execution`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    ephemeralStorage: { sizeInGiB: 30 },
    pidMode: 'task',
    volumes: [{ name: 'scratch', host: {} }],
    placementConstraints: [],
    proxyConfiguration: undefined,
    containerDefinitions: [
      {
        name: 'web',
        image: `${IMAGE_REPO}@${DIGEST_A}`,
        essential: true,
        cpu: 448,
        memoryReservation: 768,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
        healthCheck: {
          command: ['CMD-SHELL', 'curl -fs http://localhost:8080/healthz || exit 1'],
          interval: 10,
          timeout: 5,
          retries: 3,
          startPeriod: 20,
        },
        environment: [
          { name: 'PORT', value: '8080' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        secrets: [{ name: 'DATABASE_URL', valueFrom: SECRET_ARN }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/web-staging',
            'awslogs-region': 'eu-west-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
        stopTimeout: 45,
        mountPoints: [{ sourceVolume: 'scratch', containerPath: '/tmp/scratch', readOnly: false }],
        ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
        dependsOn: [{ containerName: 'datadog', condition: 'START' }],
        linuxParameters: { initProcessEnabled: true },
        dockerLabels: { team: 'payments' },
      },
      {
        name: 'datadog',
        image: 'public.ecr.aws/datadog/agent:7.50.0',
        essential: false,
        cpu: 64,
        memoryReservation: 256,
        environment: [{ name: 'DD_SITE', value: 'datadoghq.eu' }],
      },
    ],
    tags: [{ key: 'cost-center', value: 'payments' }],
  };
}

export function ecsContext(
  options: { environment?: string; service?: string; cluster?: string; profile?: string; releaseCommand?: string } = {},
): EnvironmentContext {
  const environment = options.environment ?? 'staging';
  return {
    pipeline: {
      name: 'shop',
      environments: [
        {
          name: 'staging',
          target: { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'apps', service: 'web-staging' },
        },
        {
          name: 'production',
          target: { provider: 'aws-ecs', region: 'eu-west-1', cluster: 'apps', service: 'web-production' },
        },
      ],
      ...(options.releaseCommand === undefined ? {} : { releaseCommand: options.releaseCommand }),
    },
    environment: {
      name: environment,
      target: {
        provider: 'aws-ecs',
        region: 'eu-west-1',
        cluster: options.cluster ?? 'apps',
        service: options.service ?? `web-${environment}`,
        ...(options.profile === undefined ? {} : { profile: options.profile }),
      },
    },
  };
}

export interface RecordedReporter extends Reporter {
  readonly steps: string[];
  readonly lines: string[];
}

export function recorder(): RecordedReporter {
  const steps: string[] = [];
  const lines: string[] = [];
  return { steps, lines, step: (name) => void steps.push(name), log: (line) => void lines.push(line) };
}

export const actor = { user: 'ada', email: 'ada@example.com' };

/** The plainest deploy: the web image at DIGEST_B, no config of its own. */
export const deploySpec: ReleaseSpec = {
  kind: 'deploy',
  artifact: { kind: 'images', images: { web: `${IMAGE_REPO}@${DIGEST_B}` } },
  config: {},
  actor,
  description: 'Deploy',
};

/** Options that make polling instant in tests. */
export const fastPolling = {
  pollIntervalMs: 1,
  maxPollIntervalMs: 1,
  sleep: async (_ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw new Error('aborted');
  },
};
