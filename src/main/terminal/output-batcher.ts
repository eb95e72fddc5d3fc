// Collects output for a few milliseconds and sends it as one event: a burst of small pty reads costs
// one message, not hundreds (VS Code's TerminalDataBufferer waits 5 ms too). The first chunk after a
// quiet spell goes at once, so a keystroke's echo never waits for the window. No message is larger
// than `maxChars`: xterm parses each write whole, so one huge message would freeze the window.
import type { Disposable } from '../util/disposable.js';

export const OUTPUT_BATCH_MS = 5;
export const OUTPUT_MAX_CHARS = 64 * 1024;

export class OutputBatcher implements Disposable {
  private chunks: string[] = [];
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (data: string) => void,
    private readonly delayMs = OUTPUT_BATCH_MS,
    private readonly maxChars = OUTPUT_MAX_CHARS,
  ) {}

  push(data: string): void {
    if (this.timer === undefined) {
      // Quiet until now: send, and batch whatever follows within the window.
      this.arm();
      this.emit(data);
      return;
    }
    this.chunks.push(data);
    this.pending += data.length;
    if (this.pending >= this.maxChars) this.flush();
  }

  flush(): void {
    if (this.pending === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
    this.chunks = [];
    this.pending = 0;
    this.emit(data);
  }

  private emit(data: string): void {
    // A split surrogate pair is fine: xterm joins it across writes.
    for (let at = 0; at < data.length; at += this.maxChars) {
      this.send(at === 0 && data.length <= this.maxChars ? data : data.slice(at, at + this.maxChars));
    }
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending === 0) return;
      this.flush();
      this.arm();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chunks = [];
    this.pending = 0;
  }
}
