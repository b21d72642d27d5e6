import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';

/**
 * Long CPU work (parsing, checking and sealing a batch) done in slices that wait for turns of
 * the event loop, so that what arrives meanwhile (a health probe, a new connection, a small
 * read) is served between slices instead of after the whole batch. Slices run in arrival
 * order, a few milliseconds of them a turn: with many batches in flight, a turn runs a few
 * slices, not a slice of each.
 */
export interface CpuTurns {
  /** Resolves on a later turn of the event loop, once the slices queued before it have run. */
  next(): Promise<void>;
}

/** How long a slice runs before it takes another turn, and how long a turn runs slices. */
export const SLICE_MS = 4;

/**
 * Turns of this process's event loop, shared by every request that takes them. Each turn lets
 * waiters run, in arrival order, for about `budgetMs` in all (at least one), then gives the
 * event loop back to I/O until the next turn.
 */
export function eventLoopTurns(budgetMs = SLICE_MS): CpuTurns {
  const waiting: (() => void)[] = [];
  let pumping = false;
  let turnStarted = 0;
  // A released waiter runs (up to its next await) in the microtasks queued by `release`; the
  // check queued after it then sees the time it took.
  const releaseNext = () => {
    const release = waiting.shift();
    if (release === undefined) {
      pumping = false;
      return;
    }
    release();
    queueMicrotask(afterRelease);
  };
  const afterRelease = () => {
    if (performance.now() - turnStarted < budgetMs) releaseNext();
    else setImmediate(turn);
  };
  const turn = () => {
    turnStarted = performance.now();
    releaseNext();
  };
  return {
    next() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (!pumping) {
          pumping = true;
          setImmediate(turn);
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
