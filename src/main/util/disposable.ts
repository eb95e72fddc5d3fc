// Everything long-lived returns a Disposable; owners collect them in a DisposableStore.
export interface Disposable {
  dispose(): void | Promise<void>;
}

export const toDisposable = (fn: () => void | Promise<void>): Disposable => {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      return fn();
    },
  };
};

export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
    } else {
      this.items.add(item);
    }
    return item;
  }

  delete(item: Disposable): void {
    this.items.delete(item);
  }

  get size(): number {
    return this.items.size;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    await Promise.allSettled(items.map((item) => item.dispose()));
  }
}
