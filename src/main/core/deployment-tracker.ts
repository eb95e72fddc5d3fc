// Deployments: the ones this process runs (queued, running, recent) and, through the journal, the
// ones other Slipway processes on this machine run. Every change is announced (for the UI and CLI
// progress); a Reporter turns a provider's step/log calls into steps.
import { randomUUID } from 'node:crypto';
import type { Actor, Deployment, DeploymentStep, ReleaseKind } from '../../shared/model.js';
import type { Reporter } from '../providers/provider.js';
import type { Disposable } from '../util/disposable.js';
import { Emitter } from '../util/emitter.js';
import type { DeploymentJournal } from './deployment-journal.js';

const KEEP_FINISHED = 200;
const MAX_OUTPUT_LINES = 200;

export interface DeploymentChange {
  readonly deployment: Deployment;
  /** Run by this process (and so abortable here while it runs). */
  readonly here: boolean;
}

const withAbortable = (d: Deployment, here: boolean): Deployment => ({
  ...d,
  abortable: here && d.status === 'running',
});

export class DeploymentTracker {
  private readonly deployments = new Map<string, Deployment>();
  private readonly changed = new Emitter<DeploymentChange>();
  private watching: Disposable | undefined;

  constructor(private readonly journal?: DeploymentJournal) {}

  /** Changes here and, while anyone listens, in other processes. */
  onDidChange(listener: (change: DeploymentChange) => void): Disposable {
    const subscription = this.changed.event(listener);
    this.watching ??= this.journal?.watch((deployment) => {
      if (!this.deployments.has(deployment.id))
        this.changed.fire({ deployment: withAbortable(deployment, false), here: false });
    });
    return {
      dispose: () => {
        void subscription.dispose();
        if (this.changed.listenerCount === 0) {
          void this.watching?.dispose();
          this.watching = undefined;
        }
      },
    };
  }

  private announce(deployment: Deployment): Deployment {
    deployment.revision = (deployment.revision ?? 0) + 1;
    const copy = withAbortable(structuredClone(deployment), true);
    void this.journal?.record(copy);
    this.changed.fire({ deployment: copy, here: true });
    return copy;
  }

  create(input: {
    pipeline: string;
    environment: string;
    kind: ReleaseKind;
    summary: string;
    actor: Actor;
  }): Deployment {
    const deployment: Deployment = {
      id: randomUUID(),
      ...input,
      status: 'queued',
      revision: 0,
      steps: [],
      queuedAt: new Date().toISOString(),
    };
    this.deployments.set(deployment.id, deployment);
    this.prune();
    this.announce(deployment);
    return deployment;
  }

  update(id: string, change: (deployment: Deployment) => void): Deployment {
    const deployment = this.deployments.get(id);
    if (!deployment) throw new Error(`unknown deployment ${id}`);
    change(deployment);
    return this.announce(deployment);
  }

  /** This process's deployments, newest first. */
  listHere(filter: { pipeline: string; environment?: string | undefined }): Deployment[] {
    return [...this.deployments.values()]
      .filter((d) => d.pipeline === filter.pipeline && (!filter.environment || d.environment === filter.environment))
      .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt))
      .map((d) => withAbortable(structuredClone(d), true));
  }

  /** Every Slipway's deployments on this machine, newest first. */
  async list(filter: { pipeline: string; environment?: string | undefined }): Promise<Deployment[]> {
    const elsewhere = (await this.journal?.list()) ?? [];
    // Taken after the read, so the answer is no older than the stream events already sent.
    const here = this.listHere(filter);
    const others = elsewhere
      .map((e) => e.deployment)
      .filter(
        (d) =>
          !this.deployments.has(d.id) &&
          d.pipeline === filter.pipeline &&
          (!filter.environment || d.environment === filter.environment),
      )
      .map((d) => withAbortable(d, false));
    return [...here, ...others].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt)).slice(0, KEEP_FINISHED);
  }

  flush(): Promise<void> {
    return this.journal?.flush() ?? Promise.resolve();
  }

  reporter(id: string): Reporter & { fail(message: string): void; finish(): void } {
    const now = (): string => new Date().toISOString();
    const running = (d: Deployment): DeploymentStep | undefined => d.steps.findLast((s) => s.status === 'running');
    return {
      step: (name, message) =>
        this.update(id, (d) => {
          const current = running(d);
          if (current) current.status = 'succeeded';
          d.steps.push({ name, status: 'running', at: now(), ...(message ? { message } : {}) });
        }),
      log: (line) =>
        this.update(id, (d) => {
          const current = running(d) ?? d.steps.at(-1);
          if (!current) return;
          const output = (current.output ??= []);
          output.push(line);
          if (output.length > MAX_OUTPUT_LINES) output.splice(0, output.length - MAX_OUTPUT_LINES);
        }),
      fail: (message) =>
        this.update(id, (d) => {
          const current = running(d);
          if (current) {
            current.status = 'failed';
            current.message = message;
          }
        }),
      finish: () =>
        this.update(id, (d) => {
          const current = running(d);
          if (current) current.status = 'succeeded';
        }),
    };
  }

  private prune(): void {
    const finished = [...this.deployments.values()].filter((d) => d.status === 'succeeded' || d.status === 'failed');
    for (const d of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.deployments.delete(d.id);
  }
}
