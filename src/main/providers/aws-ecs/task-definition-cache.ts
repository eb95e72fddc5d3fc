// Task definitions are immutable once registered, so each is fetched once per ARN. Their tags are not
// (status, no-rollback marks), so tags are re-read when a release is still pending or the copy is old.
import { DescribeTaskDefinitionCommand, type TaskDefinition } from '@aws-sdk/client-ecs';
import { readStatus, tagMap } from './tags.js';
import type { AwsSession } from './session.js';

export interface CachedTaskDefinition {
  readonly arn: string;
  readonly td: TaskDefinition;
  readonly tags: Map<string, string>;
}

interface Entry extends CachedTaskDefinition {
  readonly at: number;
}

export class TaskDefinitionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<CachedTaskDefinition>>();

  constructor(
    private readonly tagsTtlMs: number,
    private readonly now: () => number,
  ) {}

  async get(session: AwsSession, arn: string): Promise<CachedTaskDefinition> {
    const cached = this.entries.get(arn);
    if (cached && !this.stale(cached)) return cached;
    const pending = this.inFlight.get(arn);
    if (pending) return pending;
    const load = session
      .ecs(
        new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }),
        `task definition ${arn.slice(arn.lastIndexOf('/') + 1)}`,
      )
      .then((out) => this.put(arn, out.taskDefinition ?? {}, tagMap(out.tags)))
      .finally(() => this.inFlight.delete(arn));
    this.inFlight.set(arn, load);
    return load;
  }

  /** Only what is already cached (no call): for callers that must not add API calls. */
  peek(arn: string): CachedTaskDefinition | undefined {
    return this.entries.get(arn);
  }

  put(arn: string, td: TaskDefinition, tags: Map<string, string>): CachedTaskDefinition {
    const entry: Entry = { arn, td, tags, at: this.now() };
    this.entries.set(arn, entry);
    return entry;
  }

  /** After Slipway tagged or untagged a definition itself. */
  updateTags(arn: string, set: Readonly<Record<string, string>>, removed: readonly string[] = []): void {
    const entry = this.entries.get(arn);
    if (!entry) return;
    for (const key of removed) entry.tags.delete(key);
    for (const [key, value] of Object.entries(set)) entry.tags.set(key, value);
  }

  private stale(entry: Entry): boolean {
    if (entry.tags.size > 0 && readStatus(entry.tags) === 'pending') return true;
    return this.now() - entry.at >= this.tagsTtlMs;
  }
}
