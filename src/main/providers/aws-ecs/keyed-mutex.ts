// Serialises work per key inside this process. For ECS that is enough: ECS itself refuses nothing when
// two deploys race, but every Slipway deploy to an environment goes through one process's queue, and
// release numbers are allocated under this lock (see the note in provider.ts).
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Forget the key once nobody queued behind us, so the map does not grow with every environment ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
