// Output flow control as VS Code's terminal does it: count characters sent and not yet acknowledged
// by the client; above the high watermark the producer is paused, below the low one it resumes. A
// `yes` flood then waits for the window instead of piling up in memory or freezing it.
import { TERMINAL_FLOW } from '../../shared/contract/terminal.js';

export interface FlowTarget {
  pause(): void;
  resume(): void;
}

export class AckFlowControl {
  private unacknowledged = 0;
  private paused = false;

  constructor(
    private readonly target: FlowTarget,
    private readonly high = TERMINAL_FLOW.HIGH_WATERMARK_CHARS,
    private readonly low = TERMINAL_FLOW.LOW_WATERMARK_CHARS,
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  get unacknowledgedChars(): number {
    return this.unacknowledged;
  }

  sent(chars: number): void {
    this.unacknowledged += chars;
    if (!this.paused && this.unacknowledged > this.high) {
      this.paused = true;
      this.target.pause();
    }
  }

  acknowledged(chars: number): void {
    // Clamped: a client that acks more than it got must not bank credit for later floods.
    this.unacknowledged = Math.max(0, this.unacknowledged - chars);
    if (this.paused && this.unacknowledged < this.low) {
      this.paused = false;
      this.target.resume();
    }
  }
}
