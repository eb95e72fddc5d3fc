// Runs jobs for one key strictly in order. A job's failure never drops the ones queued behind it.
// A place in line can be reserved before the job is known, so requests keep the order they arrived
// in even when each one first does some async checking of its own.

export interface QueueSlot {
  /** Runs the job when every earlier slot of the key has finished. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Gives the place up (the request failed its checks); later slots move on. */
  cancel(): void;
}

export class SerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  reserve(key: string): QueueSlot {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let start!: (job: () => Promise<unknown>) => void;
    const chosen = new Promise<() => Promise<unknown>>((resolve) => (start = resolve));
    const result = previous.then(() => chosen).then((job) => job());
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    let taken = false;
    return {
      run: <T>(job: () => Promise<T>) => {
        if (taken) throw new Error('a queue slot runs one job');
        taken = true;
        start(job);
        return result as Promise<T>;
      },
      cancel: () => {
        if (taken) return;
        taken = true;
        start(async () => undefined);
      },
    };
  }

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    return this.reserve(key).run(job);
  }

  /** Resolves when every job queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
