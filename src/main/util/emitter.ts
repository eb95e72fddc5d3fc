// A tiny typed event: `onDid…(listener) → Disposable`.
import { toDisposable, type Disposable } from './disposable.js';
import { reportUnexpectedError } from './unexpected-error.js';

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return toDisposable(() => {
      this.listeners.delete(listener);
    });
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        // One bad listener must not stop the others (or the deploy that fired), nor vanish unseen.
        reportUnexpectedError('an event listener failed', error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
