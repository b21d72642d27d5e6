import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';

/**
 * Long CPU work (checking and sealing a large batch) done in slices, one slice per turn of the
 * event loop, so that what arrives meanwhile (a health probe, a small read) is answered between
 * slices instead of after the whole batch. Requests take turns in arrival order: with many
 * batches in flight, one turn runs one slice of one of them, not a slice of each.
 */
export interface CpuTurns {
  /** Resolves on a later turn of the event loop, once the slices queued before it have run. */
  next(): Promise<void>;
}

/** How long a slice runs before it gives the event loop back. */
export const SLICE_MS = 4;

/** Turns of this process's event loop, shared by every request that takes them. */
export function eventLoopTurns(): CpuTurns {
  const waiting: (() => void)[] = [];
  let pumping = false;
  // One waiter per turn: it runs in the microtasks after this callback, and the next callback
  // is queued for the next turn, after the event loop has polled for I/O.
  const pump = () => {
    const release = waiting.shift();
    if (release === undefined) {
      pumping = false;
      return;
    }
    release();
    setImmediate(pump);
  };
  return {
    next() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (!pumping) {
          pumping = true;
          setImmediate(pump);
        }
      });
    },
  };
}

/** Turns that never wait: for a caller that has nothing else to serve (the CLI). */
export const NO_TURNS: CpuTurns = { next: () => Promise.resolve() };

/**
 * Calls `each` on every item in order, in slices of at most about SLICE_MS, taking a turn
 * before each slice (the first included, so a batch that arrives with others queues behind
 * them).
 */
export async function forEachInTurns<T>(
  items: readonly T[],
  each: (item: T, index: number) => void,
  turns: CpuTurns,
): Promise<void> {
  if (items.length === 0) return;
  await turns.next();
  let sliceStarted = performance.now();
  for (let index = 0; index < items.length; index += 1) {
    each(items[index] as T, index);
    // The clock is read every 8 items: an item takes microseconds, a clock read a fraction.
    if ((index & 7) === 7 && performance.now() - sliceStarted > SLICE_MS) {
      await turns.next();
      sliceStarted = performance.now();
    }
  }
}
