// A small stateful model of ECS and CloudWatch Logs: services, task definitions with tags, tasks,
// service deployments and log streams held in memory, and the API operations that read and change
// them. FakeEcs drives it through aws-sdk-client-mock; the HTTP stand-in serves it to real clients.
// Rollouts and one-off tasks advance one step per poll (tests decide outcomes without waiting), or
// after a delay when one is set (the stand-in, where a person or a script is watching).
import type {
  Deployment,
  DeploymentConfiguration,
  RegisterTaskDefinitionRequest,
  RunTaskRequest,
  Service,
  ServiceDeployment,
  Tag,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

export const ACCOUNT = '123456789012';

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
  });
}

/** ECS's tag rules: `aws:` keys are reserved, at most 50 others, keys ≤ 128 and values ≤ 256 characters. */
function checkTags(tags: readonly Tag[], after: readonly Tag[] = tags): void {
  for (const tag of tags) {
    if (/^aws:/i.test(tag.key ?? '')) {
      throw awsError('InvalidParameterException', 'Tag keys starting with "aws:" are reserved for AWS use.');
    }
    if ((tag.key ?? '').length > 128 || (tag.value ?? '').length > 256) {
      throw awsError('InvalidParameterException', 'Tag keys may have 128 characters and values 256.');
    }
  }
  if (after.filter((t) => !/^aws:/i.test(t.key ?? '')).length > 50) {
    throw awsError('InvalidParameterException', 'A resource can have at most 50 tags.');
  }
}

export interface RunBehaviour {
  /** Exit code of the app container; undefined with `stoppedReason` means the task never started. */
  exitCode?: number;
  stoppedReason?: string;
  output?: string[];
}

interface FakeServiceDeployment extends ServiceDeployment {
  polls: number;
  fails: boolean;
  previousTd: string;
}

export class FakeEcsModel {
  readonly region: string;
  readonly services = new Map<string, Service>();
  readonly taskDefinitions = new Map<string, { td: TaskDefinition; tags: Tag[] }>();
  readonly tasks = new Map<string, Task>();
  readonly serviceDeployments = new Map<string, FakeServiceDeployment>();
  readonly logs = new Map<string, string[]>();
  /** Whether the endpoint has the service-deployment API (ListServiceDeployments & co). */
  deploymentApi = true;
  /** Polls a rollout takes before it settles. */
  rolloutPolls = 2;
  /**
   * When set, time instead of polls moves things along: a rollout settles this long after
   * UpdateService, and a one-off task runs for this long.
   */
  settleAfterMs: number | undefined = undefined;
  /** Decides whether a rollout of a definition fails its health checks (the circuit breaker then rolls back). */
  failsHealthCheck: (td: TaskDefinition) => boolean = (td) =>
    (td.containerDefinitions ?? []).some((c) =>
      (c.environment ?? []).some((e) => e.name === 'FAIL_HEALTHCHECK' && e.value === '1'),
    );
  runBehaviour: RunBehaviour = { exitCode: 0, output: ['migrations: up to date'] };
  /** How a one-off task with this command override behaves; by default `runBehaviour` for every command. */
  behaviourFor: (command: readonly string[] | undefined) => RunBehaviour = () => this.runBehaviour;
  /** How many DescribeTasks answer MISSING for a one-off task just after RunTask, as ECS's eventual consistency can. */
  missingDescribes = 0;
  readonly now: () => number = Date.now;
  /** DescribeTasks answers still to be MISSING, by task ARN. */
  private readonly unseenFor = new Map<string, number>();
  /** When each one-off task was started, for `settleAfterMs`. */
  private readonly taskStarts = new Map<string, number>();

  private seq = 0;

  constructor(region = 'eu-west-1') {
    this.region = region;
  }

  private id(): string {
    this.seq += 1;
    return `${this.seq.toString(16).padStart(8, '0')}aaaabbbbccccdddd${this.seq.toString(16).padStart(8, '0')}`;
  }

  private arn(kind: string, rest: string): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT}:${kind}/${rest}`;
  }

  register(input: RegisterTaskDefinitionRequest): TaskDefinition {
    const family = input.family ?? 'unknown';
    const revision = [...this.taskDefinitions.values()].filter((t) => t.td.family === family).length + 1;
    const { tags, ...rest } = input;
    const td: TaskDefinition = {
      ...structuredClone(rest),
      taskDefinitionArn: this.arn('task-definition', `${family}:${revision}`),
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
      registeredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, this.seq++)),
      registeredBy: `arn:aws:iam::${ACCOUNT}:role/deployer`,
    };
    this.taskDefinitions.set(td.taskDefinitionArn ?? '', { td, tags: structuredClone(tags ?? []) });
    return td;
  }

  /** A running service of `desiredCount` healthy tasks on `td`. */
  addService(cluster: string, name: string, td: RegisterTaskDefinitionRequest, extra: Partial<Service> = {}): Service {
    const registered = this.register(td);
    const service: Service = {
      serviceName: name,
      serviceArn: this.arn('service', `${cluster}/${name}`),
      clusterArn: this.arn('cluster', cluster),
      status: 'ACTIVE',
      taskDefinition: registered.taskDefinitionArn,
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-1', 'subnet-2'],
          securityGroups: ['sg-1'],
          assignPublicIp: 'DISABLED',
        },
      },
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      deploymentController: { type: 'ECS' },
      deployments: [this.deployment(registered.taskDefinitionArn ?? '', 'PRIMARY', 'COMPLETED', 2)],
      events: [
        {
          id: 'e1',
          createdAt: new Date(Date.UTC(2025, 0, 1)),
          message: `(service ${name}) has reached a steady state.`,
        },
      ],
      ...extra,
    };
    this.services.set(`${cluster}/${name}`, service);
    for (let i = 0; i < (service.desiredCount ?? 0); i++)
      this.startTask(cluster, registered.taskDefinitionArn ?? '', `service:${name}`, 'ecs-svc/1', 'RUNNING');
    return service;
  }

  private deployment(td: string, status: string, rolloutState: Deployment['rolloutState'], count: number): Deployment {
    return {
      id: `ecs-svc/${this.id().slice(0, 12)}`,
      status,
      taskDefinition: td,
      desiredCount: count,
      runningCount: rolloutState === 'COMPLETED' ? count : 0,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState,
      rolloutStateReason: rolloutState === 'COMPLETED' ? 'ECS deployment completed.' : 'ECS deployment in progress.',
      createdAt: new Date(),
    };
  }

  startTask(cluster: string, td: string, group: string, startedBy: string, lastStatus: string): Task {
    const taskArn = this.arn('task', `${cluster}/${this.id()}`);
    const def = this.taskDefinitions.get(td)?.td;
    const task: Task = {
      taskArn,
      clusterArn: this.arn('cluster', cluster),
      taskDefinitionArn: td,
      group,
      startedBy,
      lastStatus,
      desiredStatus: 'RUNNING',
      healthStatus: lastStatus === 'RUNNING' ? 'HEALTHY' : 'UNKNOWN',
      launchType: 'FARGATE',
      availabilityZone: `${this.region}a`,
      createdAt: new Date(Date.UTC(2025, 0, 2)),
      ...(lastStatus === 'RUNNING' ? { startedAt: new Date(Date.UTC(2025, 0, 2, 0, 1)) } : {}),
      attachments: [
        { type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: `10.0.0.${this.seq}` }] },
      ],
      containers: (def?.containerDefinitions ?? []).map((c) => ({ name: c.name, lastStatus })),
    };
    this.tasks.set(taskArn, task);
    return task;
  }

  service(cluster: string, name: string): Service | undefined {
    return this.services.get(`${cluster}/${name}`);
  }

  private clusterName(cluster: string | undefined): string {
    return (cluster ?? 'default').split('/').pop() ?? 'default';
  }

  private serviceByRef(cluster: string | undefined, ref: string): Service | undefined {
    return this.service(this.clusterName(cluster), ref.split('/').pop() ?? ref);
  }

  private findTd(ref: string): { td: TaskDefinition; tags: Tag[] } | undefined {
    if (ref.startsWith('arn:')) return this.taskDefinitions.get(ref);
    return this.taskDefinitions.get(this.arn('task-definition', ref));
  }

  /** One step of every rollout in progress on a service. */
  private advance(service: Service): void {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.rolloutState !== 'IN_PROGRESS') return;
    const sd = [...this.serviceDeployments.values()].find((d) => d.targetServiceRevision?.arn === primary.id);
    if (!sd) return;
    sd.polls += 1;
    const settled =
      this.settleAfterMs === undefined
        ? sd.polls >= this.rolloutPolls
        : this.now() - (sd.createdAt?.getTime() ?? 0) >= this.settleAfterMs;
    if (!settled) {
      primary.pendingCount = primary.desiredCount;
      if (sd.fails) primary.failedTasks = sd.polls;
      sd.targetServiceRevision = {
        ...sd.targetServiceRevision,
        pendingTaskCount: primary.desiredCount,
        requestedTaskCount: primary.desiredCount,
        runningTaskCount: 0,
      };
      if (sd.fails) sd.deploymentCircuitBreaker = { status: 'MONITORING', failureCount: sd.polls, threshold: 3 };
      return;
    }
    const cluster = this.clusterName(service.clusterArn);
    if (sd.fails) {
      this.rollBack(
        service,
        sd,
        primary,
        'tasks failed to start',
        'Circuit breaker: 3 tasks failed their health checks.',
      );
      return;
    }
    primary.rolloutState = 'COMPLETED';
    primary.runningCount = primary.desiredCount;
    primary.pendingCount = 0;
    primary.rolloutStateReason = 'ECS deployment completed.';
    service.deployments = [primary];
    service.runningCount = primary.desiredCount;
    for (const task of this.tasks.values()) {
      if (
        task.clusterArn === service.clusterArn &&
        task.group === `service:${service.serviceName}` &&
        task.lastStatus === 'RUNNING'
      )
        task.lastStatus = 'STOPPED';
    }
    for (let i = 0; i < (primary.desiredCount ?? 0); i++)
      this.startTask(
        cluster,
        primary.taskDefinition ?? '',
        `service:${service.serviceName}`,
        primary.id ?? '',
        'RUNNING',
      );
    sd.status = 'SUCCESSFUL';
    sd.targetServiceRevision = {
      ...sd.targetServiceRevision,
      runningTaskCount: primary.desiredCount,
      pendingTaskCount: 0,
    };
    sd.finishedAt = new Date();
  }

  private rollBack(
    service: Service,
    sd: FakeServiceDeployment,
    failed: Deployment,
    state: string,
    reason: string,
  ): void {
    failed.status = 'ACTIVE';
    failed.rolloutState = 'FAILED';
    failed.rolloutStateReason = `ECS deployment circuit breaker: ${state}. ${reason}`;
    const back = this.deployment(sd.previousTd, 'PRIMARY', 'COMPLETED', failed.desiredCount ?? 0);
    service.deployments = [back, failed];
    service.taskDefinition = sd.previousTd;
    sd.status = 'ROLLBACK_SUCCESSFUL';
    sd.statusReason = reason;
    sd.rollback = { reason, startedAt: new Date(), serviceRevisionArn: back.id };
    sd.deploymentCircuitBreaker = { status: 'TRIGGERED', failureCount: 3, threshold: 3 };
  }

  private requireApi(): void {
    if (!this.deploymentApi)
      throw awsError('UnknownOperationException', 'The operation is not supported by this endpoint.');
  }

  /** ECS operations by name, as the SDK and the wire protocol call them. */
  readonly ecsApi = {
    DescribeServices: (input: { cluster?: string; services?: string[] }) => {
      const services: Service[] = [];
      const failures: { arn: string; reason: string }[] = [];
      for (const ref of input.services ?? []) {
        const service = this.serviceByRef(input.cluster, ref);
        if (service) {
          this.advance(service);
          services.push(structuredClone(service));
        } else
          failures.push({ arn: this.arn('service', `${this.clusterName(input.cluster)}/${ref}`), reason: 'MISSING' });
      }
      return { services, failures };
    },

    UpdateService: (input: {
      cluster?: string;
      service?: string;
      taskDefinition?: string;
      deploymentConfiguration?: DeploymentConfiguration;
    }) => {
      const service = this.serviceByRef(input.cluster, input.service ?? '');
      if (!service) throw awsError('ServiceNotFoundException', 'Service not found.');
      if (input.deploymentConfiguration !== undefined) {
        service.deploymentConfiguration = structuredClone(input.deploymentConfiguration);
      }
      // As in ECS, a change of settings alone applies to the next deployment and starts none.
      if (input.taskDefinition === undefined) return { service: structuredClone(service) };
      const td = this.findTd(input.taskDefinition ?? '');
      if (!td) throw awsError('ClientException', 'Unable to describe task definition.');
      const previousTd = service.taskDefinition ?? '';
      for (const d of service.deployments ?? []) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
      const next = this.deployment(td.td.taskDefinitionArn ?? '', 'PRIMARY', 'IN_PROGRESS', service.desiredCount ?? 0);
      service.deployments = [next, ...(service.deployments ?? [])];
      service.taskDefinition = td.td.taskDefinitionArn;
      const sdArn = this.arn(
        'service-deployment',
        `${this.clusterName(input.cluster)}/${service.serviceName}/${this.id()}`,
      );
      this.serviceDeployments.set(sdArn, {
        serviceDeploymentArn: sdArn,
        serviceArn: service.serviceArn,
        status: 'IN_PROGRESS',
        targetServiceRevision: {
          arn: next.id,
          requestedTaskCount: service.desiredCount,
          runningTaskCount: 0,
          pendingTaskCount: 0,
        },
        deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
        createdAt: new Date(),
        polls: 0,
        fails: this.failsHealthCheck(td.td),
        previousTd,
      });
      if (this.deploymentApi) service.currentServiceDeployment = sdArn;
      return { service: structuredClone(service) };
    },

    ListServiceDeployments: (input: { cluster?: string; service?: string; status?: string[] }) => {
      this.requireApi();
      const service = this.serviceByRef(input.cluster, input.service ?? '');
      const serviceDeployments = [...this.serviceDeployments.values()]
        .filter(
          (d) =>
            d.serviceArn === service?.serviceArn &&
            (input.status === undefined || input.status.includes(d.status ?? '')),
        )
        .reverse()
        .map((d) => ({ serviceDeploymentArn: d.serviceDeploymentArn, serviceArn: d.serviceArn, status: d.status }));
      return { serviceDeployments };
    },
    DescribeServiceDeployments: (input: { serviceDeploymentArns?: string[] }) => {
      this.requireApi();
      const found = (input.serviceDeploymentArns ?? []).flatMap((arn) => this.serviceDeployments.get(arn) ?? []);
      for (const sd of found) {
        const service = [...this.services.values()].find((s) => s.serviceArn === sd.serviceArn);
        if (service) this.advance(service);
      }
      return {
        serviceDeployments: found.map(({ polls: _p, fails: _f, previousTd: _t, ...sd }) => structuredClone(sd)),
      };
    },
    StopServiceDeployment: (input: { serviceDeploymentArn?: string; stopType?: string }) => {
      this.requireApi();
      const sd = this.serviceDeployments.get(input.serviceDeploymentArn ?? '');
      if (!sd) throw awsError('ServiceDeploymentNotFoundException', 'Service deployment not found.');
      const service = [...this.services.values()].find((s) => s.serviceArn === sd.serviceArn);
      const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
      if (service && primary) this.rollBack(service, sd, primary, 'stopped', 'Stopped by a user with a rollback.');
      return { serviceDeploymentArn: sd.serviceDeploymentArn };
    },

    RegisterTaskDefinition: (input: RegisterTaskDefinitionRequest) => {
      checkTags(input.tags ?? []);
      const td = this.register(input);
      return { taskDefinition: structuredClone(td), tags: structuredClone(input.tags ?? []) };
    },
    DescribeTaskDefinition: (input: { taskDefinition?: string; include?: string[] }) => {
      const found = this.findTd(input.taskDefinition ?? '');
      if (!found) throw awsError('ClientException', 'Unable to describe task definition.');
      return {
        taskDefinition: structuredClone(found.td),
        ...(input.include?.includes('TAGS') ? { tags: structuredClone(found.tags) } : {}),
      };
    },
    ListTaskDefinitions: (input: { familyPrefix?: string; sort?: string; maxResults?: number }) => {
      const arns = [...this.taskDefinitions.values()]
        .filter((t) => (t.td.family ?? '').startsWith(input.familyPrefix ?? ''))
        .sort(
          (a, b) => (a.td.family ?? '').localeCompare(b.td.family ?? '') || (a.td.revision ?? 0) - (b.td.revision ?? 0),
        )
        .map((t) => t.td.taskDefinitionArn ?? '');
      if (input.sort === 'DESC') arns.reverse();
      return { taskDefinitionArns: arns.slice(0, input.maxResults ?? 100) };
    },
    TagResource: (input: { resourceArn?: string; tags?: Tag[] }) => {
      const found = this.taskDefinitions.get(input.resourceArn ?? '');
      if (!found) throw awsError('ResourceNotFoundException', 'The specified resource is not found.');
      let tags = found.tags;
      for (const tag of input.tags ?? []) tags = tags.filter((t) => t.key !== tag.key).concat([tag]);
      checkTags(input.tags ?? [], tags);
      found.tags = tags;
      return {};
    },
    UntagResource: (input: { resourceArn?: string; tagKeys?: string[] }) => {
      const found = this.taskDefinitions.get(input.resourceArn ?? '');
      if (!found) throw awsError('ResourceNotFoundException', 'The specified resource is not found.');
      found.tags = found.tags.filter((t) => !(input.tagKeys ?? []).includes(t.key ?? ''));
      return {};
    },

    ListTasks: (input: { cluster?: string; serviceName?: string; startedBy?: string; desiredStatus?: string }) => {
      const cluster = this.clusterName(input.cluster);
      const taskArns = [...this.tasks.values()]
        .filter((t) => t.clusterArn === this.arn('cluster', cluster))
        .filter((t) => input.serviceName === undefined || t.group === `service:${input.serviceName}`)
        .filter((t) => input.startedBy === undefined || t.startedBy === input.startedBy)
        .filter((t) =>
          (input.desiredStatus ?? 'RUNNING') === 'STOPPED' ? t.lastStatus === 'STOPPED' : t.lastStatus !== 'STOPPED',
        )
        .map((t) => t.taskArn ?? '');
      return { taskArns };
    },
    DescribeTasks: (input: { cluster?: string; tasks?: string[] }) => {
      if ((input.tasks ?? []).length > 100)
        throw awsError('InvalidParameterException', 'Tasks cannot be longer than 100.');
      const tasks: Task[] = [];
      const failures: { arn: string; reason: string }[] = [];
      for (const ref of input.tasks ?? []) {
        const task = this.tasks.get(ref) ?? [...this.tasks.values()].find((t) => t.taskArn?.endsWith(`/${ref}`));
        const unseen = task === undefined ? 0 : (this.unseenFor.get(task.taskArn ?? '') ?? 0);
        if (!task || unseen > 0) {
          if (task) this.unseenFor.set(task.taskArn ?? '', unseen - 1);
          failures.push({ arn: ref, reason: 'MISSING' });
          continue;
        }
        this.advanceTask(task);
        tasks.push(structuredClone(task));
      }
      return { tasks, failures };
    },
    RunTask: (input: RunTaskRequest) => {
      const td = this.findTd(input.taskDefinition ?? '');
      if (!td) throw awsError('ClientException', 'Unable to describe task definition.');
      const task = this.startTask(
        this.clusterName(input.cluster),
        td.td.taskDefinitionArn ?? '',
        input.group ?? 'family',
        input.startedBy ?? '',
        'PROVISIONING',
      );
      task.overrides = structuredClone(input.overrides);
      this.taskStarts.set(task.taskArn ?? '', this.now());
      this.unseenFor.set(task.taskArn ?? '', this.missingDescribes);
      return { tasks: [structuredClone(task)], failures: [] };
    },
    StopTask: (input: { cluster?: string; task?: string; reason?: string }) => {
      const task = this.tasks.get(input.task ?? '');
      if (!task) throw awsError('InvalidParameterException', 'The referenced task was not found.');
      task.desiredStatus = 'STOPPED';
      task.lastStatus = 'STOPPED';
      task.stoppedReason = input.reason;
      return { task: structuredClone(task) };
    },

    ListClusters: () => ({
      clusterArns: [...new Set([...this.services.values()].map((s) => s.clusterArn ?? ''))],
    }),
    ListServices: (input: { cluster?: string }) => ({
      serviceArns: [...this.services.values()]
        .filter((s) => s.clusterArn === input.cluster || s.clusterArn?.endsWith(`/${input.cluster}`))
        .map((s) => s.serviceArn ?? ''),
    }),
  };

  /** CloudWatch Logs operations by name. */
  readonly logsApi = {
    GetLogEvents: (input: { logGroupName?: string; logStreamName?: string; limit?: number }) => {
      const lines = this.logs.get(`${input.logGroupName}|${input.logStreamName}`);
      if (!lines) throw awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
      return { events: lines.slice(-(input.limit ?? 100)).map((message, i) => ({ timestamp: i, message })) };
    },
  };

  /**
   * One-off tasks go PROVISIONING → RUNNING → STOPPED, one step per DescribeTasks, or with
   * `settleAfterMs` running at half the time and stopped at the full time.
   */
  private advanceTask(task: Task): void {
    if (task.startedBy !== 'slipway' || task.lastStatus === 'STOPPED') return;
    const behaviour = this.behaviourFor(task.overrides?.containerOverrides?.[0]?.command);
    if (this.settleAfterMs !== undefined) {
      const age = this.now() - (this.taskStarts.get(task.taskArn ?? '') ?? 0);
      const wanted = age >= this.settleAfterMs ? 'STOPPED' : age >= this.settleAfterMs / 2 ? 'RUNNING' : 'PROVISIONING';
      if (wanted === 'PROVISIONING') return;
      if (wanted === 'STOPPED' && task.lastStatus === 'PROVISIONING' && behaviour.exitCode !== undefined) {
        task.lastStatus = 'RUNNING';
        task.startedAt = new Date();
      }
      if (wanted === 'RUNNING' && task.lastStatus === 'RUNNING') return;
    }
    if (task.lastStatus === 'PROVISIONING') {
      if (behaviour.exitCode === undefined) {
        task.lastStatus = 'STOPPED';
        task.desiredStatus = 'STOPPED';
        task.stopCode = 'TaskFailedToStart';
        task.stoppedReason = behaviour.stoppedReason ?? 'Task failed to start';
        task.containers = task.containers?.map((c) => ({
          ...c,
          lastStatus: 'STOPPED',
          reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        }));
        return;
      }
      task.lastStatus = 'RUNNING';
      task.startedAt = new Date();
      return;
    }
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = 'Essential container in task exited';
    task.containers = task.containers?.map((c) => ({
      ...c,
      lastStatus: 'STOPPED',
      exitCode: behaviour.exitCode,
    }));
    const td = this.taskDefinitions.get(task.taskDefinitionArn ?? '')?.td;
    for (const c of td?.containerDefinitions ?? []) {
      const options = c.logConfiguration?.options ?? {};
      const group = options['awslogs-group'];
      const prefix = options['awslogs-stream-prefix'];
      if (group === undefined || prefix === undefined) continue;
      this.logs.set(`${group}|${prefix}/${c.name}/${task.taskArn?.split('/').pop()}`, [...(behaviour.output ?? [])]);
    }
  }
}
