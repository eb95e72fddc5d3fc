// Feeds xterm one piece of output at a time. Written straight into xterm's queue (parsed in 12 ms
// slices), a flood's output stayed longer in the shared socket, ahead of other tabs' echoes. Here
// every message is taken off the socket at once into this queue, and xterm gets the next piece (at
// most `maxChars`) only when it has parsed the last, in a task of its own, so other tabs, input and
// rendering get a turn between pieces.
export const PUMP_MAX_CHARS = 64 * 1024;

export class WritePump {
  private queue: string[] = [];
  private writing = false;
  private disposed = false;
  private readonly wake = new MessageChannel();

  constructor(
    private readonly write: (data: string, parsed: () => void) => void,
    /** Characters xterm has parsed, for the acknowledgement. */
    private readonly onParsed: (chars: number) => void,
    private readonly maxChars = PUMP_MAX_CHARS,
  ) {
    // A message task, not a timer: a chain of timers would be clamped to 4 ms each.
    this.wake.port1.onmessage = () => this.next();
  }

  push(data: string): void {
    if (this.disposed) return;
    this.queue.push(data);
    // Idle: written now, so an echo is parsed in the task that received it.
    if (!this.writing) this.next();
  }

  private next(): void {
    if (this.disposed || this.queue.length === 0) {
      this.writing = false;
      return;
    }
    this.writing = true;
    let data = this.queue.shift()!;
    while (this.queue.length > 0 && data.length + this.queue[0]!.length <= this.maxChars) data += this.queue.shift()!;
    this.write(data, () => {
      if (this.disposed) return;
      this.onParsed(data.length);
      this.wake.port2.postMessage(undefined);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.wake.port1.close();
    this.wake.port2.close();
  }
}
