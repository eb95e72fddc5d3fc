// Deployments in this process: queued, running, recent. Every change is announced (for the UI and
// CLI progress); a Reporter turns a provider's step/log calls into steps.
import { randomUUID } from 'node:crypto';
import type { Actor, Deployment, DeploymentStep, ReleaseKind } from '../../shared/model.js';
import type { Reporter } from '../providers/provider.js';
import { Emitter } from '../util/emitter.js';

const KEEP_FINISHED = 200;
const MAX_OUTPUT_LINES = 200;

export class DeploymentTracker {
  private readonly deployments = new Map<string, Deployment>();
  private readonly changed = new Emitter<Deployment>();
  readonly onDidChange = this.changed.event;

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
      steps: [],
      queuedAt: new Date().toISOString(),
    };
    this.deployments.set(deployment.id, deployment);
    this.prune();
    this.changed.fire(structuredClone(deployment));
    return deployment;
  }

  update(id: string, change: (deployment: Deployment) => void): Deployment {
    const deployment = this.deployments.get(id);
    if (!deployment) throw new Error(`unknown deployment ${id}`);
    change(deployment);
    const copy = structuredClone(deployment);
    this.changed.fire(copy);
    return copy;
  }

  list(filter: { pipeline: string; environment?: string | undefined }): Deployment[] {
    return [...this.deployments.values()]
      .filter((d) => d.pipeline === filter.pipeline && (!filter.environment || d.environment === filter.environment))
      .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt))
      .map((d) => structuredClone(d));
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
