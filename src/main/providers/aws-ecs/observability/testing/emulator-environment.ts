// An ECS environment made in the AWS emulator for the observability tests and benchmarks: a cluster, a
// service whose container logs to its own log group, and one-off tasks whose ids name real streams.
// Names carry a random suffix, since the emulator is shared and never reset.
import { randomBytes } from 'node:crypto';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import type { EnvironmentContext } from '../../../provider.js';
import { createRuntime, type Runtime } from '../../runtime.js';

export const REGION = process.env.AWS_REGION ?? 'us-east-1';

export interface EmulatorEnvironment {
  readonly rt: Runtime;
  readonly ctx: EnvironmentContext;
  readonly cluster: string;
  readonly service: string;
  readonly group: string;
  readonly revision: number;
  /** Starts a task of the service's revision and answers its id (what its log stream ends with). */
  runTask(): Promise<string>;
  /** Writes lines to `ecs/web/<task>` (made on first use). */
  write(task: string, events: readonly InputLogEvent[]): Promise<void>;
  dispose(): void;
}

export async function emulatorEnvironment(
  options: { insights?: 'enhanced' | 'disabled'; stream?: string } = {},
): Promise<EmulatorEnvironment> {
  const suffix = randomBytes(4).toString('hex');
  const cluster = `obs-${suffix}`;
  const service = `web-${suffix}`;
  const group = `/ecs/obs-${suffix}`;
  const rt = createRuntime({});
  const session = rt.session({ region: REGION });
  await session.ecs(
    new CreateClusterCommand({
      clusterName: cluster,
      settings: [{ name: 'containerInsights', value: options.insights ?? 'disabled' }],
    }),
  );
  const registered = await session.ecs(
    new RegisterTaskDefinitionCommand({
      family: service,
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx',
          memory: 128,
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': group, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    }),
  );
  const taskDefinition = registered.taskDefinition?.taskDefinitionArn ?? '';
  await session.ecs(
    new CreateServiceCommand({ cluster, serviceName: service, taskDefinition, desiredCount: 1, launchType: 'FARGATE' }),
  );
  await session.logs(new CreateLogGroupCommand({ logGroupName: group }));
  const streams = new Set<string>();
  const ctx: EnvironmentContext = {
    pipeline: {
      name: 'shop',
      environments: [{ name: 'staging', target: { provider: 'aws-ecs', region: REGION, cluster, service } }],
    },
    environment: { name: 'staging', target: { provider: 'aws-ecs', region: REGION, cluster, service } },
  };
  return {
    rt,
    ctx,
    cluster,
    service,
    group,
    revision: registered.taskDefinition?.revision ?? 0,
    async runTask() {
      const out = await session.ecs(new RunTaskCommand({ cluster, taskDefinition, launchType: 'FARGATE' }));
      const arn = out.tasks?.[0]?.taskArn ?? '';
      return arn.slice(arn.lastIndexOf('/') + 1);
    },
    async write(task, events) {
      const stream = `${options.stream ?? 'ecs/web/'}${task}`;
      if (!streams.has(stream)) {
        await session.logs(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
        streams.add(stream);
      }
      await session.logs(
        new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [...events] }),
      );
    },
    dispose: () => rt.pool.dispose(),
  };
}
