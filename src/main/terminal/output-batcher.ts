// Collects output for a few milliseconds and sends it as one event: a burst of small pty reads costs
// one message, not hundreds (VS Code's TerminalDataBufferer waits 5 ms too).
import type { Disposable } from '../util/disposable.js';

export const OUTPUT_BATCH_MS = 5;

export class OutputBatcher implements Disposable {
  private chunks: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (data: string) => void,
    private readonly delayMs = OUTPUT_BATCH_MS,
  ) {}

  push(data: string): void {
    this.chunks.push(data);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.chunks.length === 0) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.send(data);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chunks = [];
  }
}
