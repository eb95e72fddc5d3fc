// Deploy progress on stderr while a command runs: each step as it starts and finishes, output lines
// (build, release phase) under the step that produced them.
import type { Deployment } from '../../shared/model.js';

interface Seen {
  status: Deployment['status'] | undefined;
  steps: { status: string; lines: number }[];
}

const MARK: Readonly<Record<string, string>> = { succeeded: '✓', failed: '✗', skipped: '–' };

export class ProgressPrinter {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly write: (text: string) => void) {}

  update(deployment: Deployment): void {
    let seen = this.seen.get(deployment.id);
    if (!seen) {
      seen = { status: undefined, steps: [] };
      this.seen.set(deployment.id, seen);
      this.write(`${deployment.summary}\n`);
    }
    seen.status = deployment.status;

    deployment.steps.forEach((step, index) => {
      const before = seen.steps[index];
      const detail = step.message ? `: ${step.message}` : '';
      if (!before) this.write(step.status === 'running' ? `→ ${step.name}${detail}\n` : '');
      const lines = step.output ?? [];
      for (const line of lines.slice(before?.lines ?? 0)) this.write(`    ${line}\n`);
      if (step.status !== 'running' && before?.status !== step.status) {
        this.write(`${MARK[step.status] ?? '·'} ${step.name}${step.status === 'failed' || !before ? detail : ''}\n`);
      }
      seen.steps[index] = { status: step.status, lines: lines.length };
    });
  }
}
