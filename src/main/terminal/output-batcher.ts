// Collects output for a few milliseconds and sends it as one event: a burst of small pty reads costs
// one message, not hundreds (VS Code's TerminalDataBufferer waits 5 ms too). The first chunk after a
// quiet spell goes at once, so a keystroke's echo never waits for the window.
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
    if (this.timer === undefined) {
      // Quiet until now: send, and batch whatever follows within the window.
      this.send(data);
      this.arm();
      return;
    }
    this.chunks.push(data);
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.send(data);
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.chunks.length === 0) return;
      this.flush();
      this.arm();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chunks = [];
  }
}
