import type { Timers } from './timers.js';

/** Callers waiting for a condition of the delivery loop (drained, stopped), re-checked on notify. */
export class Waiters {
  private readonly waiting = new Set<() => boolean>();

  constructor(private readonly timers: Timers) {}

  /**
   * Resolves true once `condition` holds (checked now and at each `notify`), or with the
   * condition's value after `timeoutMs`. Its timer keeps the process alive: a caller awaits it.
   */
  until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = () => {
        if (!condition()) return false;
        this.timers.clear(handle);
        resolve(true);
        return true;
      };
      const handle = this.timers.set(
        () => {
          this.waiting.delete(waiter);
          resolve(condition());
        },
        timeoutMs,
        true,
      );
      this.waiting.add(waiter);
    });
  }

  /** Something changed: resolve the waiters whose condition now holds. */
  notify(): void {
    for (const waiter of [...this.waiting]) if (waiter()) this.waiting.delete(waiter);
  }
}
