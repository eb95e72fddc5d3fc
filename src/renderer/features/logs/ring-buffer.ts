// A fixed-size buffer of the newest items: pushing past capacity overwrites the oldest, so memory
// stays flat however long a tail runs.
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private size = 0;
  /** Everything ever pushed, so a view can tell how many fell off the front. */
  total = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** How many of the items pushed are no longer held. */
  get dropped(): number {
    return this.total - this.size;
  }

  push(values: readonly T[]): void {
    for (const value of values) {
      const end = (this.start + this.size) % this.capacity;
      this.items[end] = value;
      if (this.size < this.capacity) this.size++;
      else this.start = (this.start + 1) % this.capacity;
    }
    this.total += values.length;
  }

  /** 0 is the oldest item held. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.total = 0;
  }
}
