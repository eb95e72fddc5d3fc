// Where an ECS environment's output lives: each container's `awslogs` configuration names a log group
// and a stream prefix, and ECS writes a task's output to the stream `prefix/container/task-id`. So a
// line's stream names its instance, and the task's definition revision is its release.
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { AppError } from '../../../../shared/errors.js';
import type { LogLine } from '../../../../shared/model.js';
import type { EnvironmentContext } from '../../provider.js';
import { chunk } from '../async-util.js';
import { ecsTarget, familyOfArn, readService, revisionOfArn, serviceLabel, type Runtime } from '../runtime.js';

/** One log group in one region, and the stream prefixes (`prefix/container/`) the environment writes to it. */
export interface LogGroupSource {
  readonly region: string;
  readonly group: string;
  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>`, without the `:*` StartLiveTail refuses. */
  readonly arn: string;
  readonly streamPrefixes: readonly string[];
}

export interface EnvironmentLogs {
  readonly cluster: string;
  /** The family whose revisions are releases. */
  readonly family: string;
  readonly groups: readonly LogGroupSource[];
}

const ARN = /^arn:([^:]+):ecs:[^:]*:(\d{12}):/;

/**
 * The log groups of the revisions the service runs (primary and any still draining), so a deploy that
 * moves to a new group shows both while it rolls out.
 */
export async function environmentLogs(rt: Runtime, ctx: EnvironmentContext): Promise<EnvironmentLogs> {
  const target = ecsTarget(ctx);
  const service = await readService(rt, ctx);
  const arns = [
    ...new Set(
      [service.taskDefinition, ...(service.deployments ?? []).map((d) => d.taskDefinition)].filter(
        (arn): arn is string => arn !== undefined && arn !== '',
      ),
    ),
  ];
  const [, partition = 'aws', account] = ARN.exec(service.serviceArn ?? arns[0] ?? '') ?? [];
  const session = rt.session(target);
  const groups = new Map<string, { region: string; group: string; prefixes: Set<string> }>();
  for (const arn of arns) {
    const { td } = await rt.taskDefinitions.get(session, arn);
    for (const container of td.containerDefinitions ?? []) {
      const log = container.logConfiguration;
      const group = log?.options?.['awslogs-group'];
      const prefix = log?.options?.['awslogs-stream-prefix'];
      if (log?.logDriver !== 'awslogs' || !group || !prefix || !container.name) continue;
      const region = log.options?.['awslogs-region'] ?? target.region;
      const key = `${region}\u0000${group}`;
      const entry = groups.get(key) ?? { region, group, prefixes: new Set<string>() };
      entry.prefixes.add(`${prefix}/${container.name}/`);
      groups.set(key, entry);
    }
  }
  if (groups.size === 0 || account === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `The containers of ${serviceLabel(target)} do not log to CloudWatch Logs. Give them the awslogs log driver with an awslogs-group and an awslogs-stream-prefix, then deploy; Slipway reads the logs from there.`,
    );
  }
  return {
    cluster: target.cluster,
    family: familyOfArn(service.taskDefinition ?? arns[0] ?? ''),
    groups: [...groups.values()].map(({ region, group, prefixes }) => ({
      region,
      group,
      arn: `arn:${partition}:logs:${region}:${account}:log-group:${group}`,
      streamPrefixes: [...prefixes].sort(),
    })),
  };
}

/** The streams one instance writes to in a group. */
export const instanceStreams = (source: LogGroupSource, instance: string): string[] =>
  source.streamPrefixes.map((prefix) => `${prefix}${instance}`);

/** The task id a stream belongs to, when the stream is one of the environment's. */
export function instanceOfStream(source: LogGroupSource, stream: string): string | undefined {
  const prefix = source.streamPrefixes.find((p) => stream.startsWith(p));
  if (prefix === undefined) return undefined;
  const id = stream.slice(prefix.length);
  return id === '' || id.includes('/') ? undefined : id;
}

/** A CloudWatch Logs event as both FilterLogEvents and StartLiveTail describe it. */
export interface RawEvent {
  readonly timestamp?: number | undefined;
  readonly message?: string | undefined;
  readonly logStreamName?: string | undefined;
  readonly eventId?: string | undefined;
}

/** Lines read from one source, without releases yet (see TaskReleases). */
export function toLines(
  source: LogGroupSource,
  events: readonly RawEvent[],
  idOf: (event: RawEvent) => string,
  instance?: string,
): LogLine[] {
  const lines: LogLine[] = [];
  for (const event of events) {
    const task = instanceOfStream(source, event.logStreamName ?? '');
    if (task === undefined || (instance !== undefined && task !== instance)) continue;
    lines.push({
      id: idOf(event),
      time: new Date(event.timestamp ?? 0).toISOString(),
      instance: task,
      text: (event.message ?? '').replace(/\r?\n$/, ''),
    });
  }
  return lines;
}

const MAX_REMEMBERED = 10_000;
const UNKNOWN_RETRY_MS = 60_000;

/**
 * Task id → release (its definition's revision), read with DescribeTasks a hundred tasks at a time and
 * remembered: a task never changes revision. Tasks ECS no longer knows (stopped long ago) have none,
 * and a refusal leaves releases out rather than failing the logs.
 */
export class TaskReleases {
  private readonly known = new Map<string, number | null>();
  private readonly unknownUntil = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  async annotate(rt: Runtime, ctx: EnvironmentContext, logs: EnvironmentLogs, lines: LogLine[]): Promise<LogLine[]> {
    const wanted = [...new Set(lines.map((line) => line.instance))].filter(
      (id) => !this.known.has(id) && (this.unknownUntil.get(id) ?? 0) <= this.now(),
    );
    if (wanted.length > 0) await this.load(rt, ctx, logs, wanted);
    return lines.map((line) => {
      const release = this.known.get(line.instance);
      return release === undefined || release === null ? line : { ...line, release };
    });
  }

  private async load(rt: Runtime, ctx: EnvironmentContext, logs: EnvironmentLogs, ids: string[]): Promise<void> {
    const target = ecsTarget(ctx);
    for (const batch of chunk(ids, 100)) {
      try {
        const out = await rt
          .session(target)
          .ecs(new DescribeTasksCommand({ cluster: logs.cluster, tasks: batch }), `tasks of ${serviceLabel(target)}`);
        for (const task of out.tasks ?? []) {
          const id = (task.taskArn ?? '').slice((task.taskArn ?? '').lastIndexOf('/') + 1);
          const arn = task.taskDefinitionArn ?? '';
          this.remember(id, familyOfArn(arn) === logs.family ? (revisionOfArn(arn) ?? null) : null);
        }
      } catch {
        // Releases are a nicety on a line; the line itself still shows.
      }
      for (const id of batch) if (!this.known.has(id)) this.unknownUntil.set(id, this.now() + UNKNOWN_RETRY_MS);
    }
  }

  private remember(id: string, release: number | null): void {
    if (this.known.size >= MAX_REMEMBERED) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.set(id, release);
    this.unknownUntil.delete(id);
  }
}
