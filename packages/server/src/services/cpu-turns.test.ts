import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SLICE_MS, eventLoopTurns, forEachInTurns, type CpuTurns } from './cpu-turns.js';

/** Keeps the thread busy for `ms`, as checking and sealing events does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('forEachInTurns', () => {
  it('calls each item once, in order, taking a turn before the first slice and after each slice of about SLICE_MS', async () => {
    const log: string[] = [];
    const turns: CpuTurns = {
      next: () => {
        log.push('turn');
        return Promise.resolve();
      },
    };
    const items = Array.from({ length: 64 }, (_, i) => i);
    await forEachInTurns(
      items,
      (item) => {
        busy(SLICE_MS / 4);
        log.push(String(item));
      },
      turns,
    );
    expect(log.filter((entry) => entry !== 'turn')).toEqual(items.map(String));
    expect(log[0]).toBe('turn');
    // 64 items of a quarter slice: a turn every 8 items (the clock is read every 8).
    const taken = log.filter((entry) => entry === 'turn').length;
    expect(taken).toBeGreaterThanOrEqual(8);
    expect(taken).toBeLessThanOrEqual(9);
  });

  it('takes no turn for nothing', async () => {
    let taken = 0;
    await forEachInTurns([], () => undefined, { next: async () => void (taken += 1) });
    expect(taken).toBe(0);
  });
});

describe('eventLoopTurns', () => {
  it('lets a timer run between the slices of a long batch, and batches take turns slice by slice', async () => {
    const turns = eventLoopTurns();
    const order: string[] = [];
    const batch = (name: string) =>
      forEachInTurns(
        Array.from({ length: 40 }, (_, i) => i),
        (item) => {
          busy(1);
          if (item % 8 === 7) order.push(`${name}${item}`);
        },
        turns,
      );
    // A probe that arrives while the batches run: a timer due at once.
    const probe = sleep(0).then(() => order.push('probe'));
    await Promise.all([batch('a'), batch('b'), probe]);
    const probeAt = order.indexOf('probe');
    expect(probeAt, 'the probe waited for whole batches').toBeLessThan(4);
    // Without turns, a would finish before b starts.
    const firstB = order.findIndex((entry) => entry.startsWith('b'));
    const lastA = order.findLastIndex((entry) => entry.startsWith('a'));
    expect(firstB).toBeLessThan(lastA);
  });

  it('runs waiters for about its budget per turn: many short ones in one turn, long ones one or two a turn', async () => {
    const turnsTaken = async (count: number, workMs: number) => {
      const turns = eventLoopTurns(4);
      let loops = 0;
      let counting = true;
      const countLoops = () => {
        loops += 1;
        if (counting) setImmediate(countLoops);
      };
      setImmediate(countLoops);
      await Promise.all(
        Array.from({ length: count }, async () => {
          await turns.next();
          busy(workMs);
        }),
      );
      counting = false;
      return loops;
    };
    expect(await turnsTaken(100, 0)).toBeLessThanOrEqual(3);
    // 20 waiters of 3 ms with 4 ms a turn: two a turn at most, so ten turns or more.
    expect(await turnsTaken(20, 3)).toBeGreaterThanOrEqual(10);
  });
});
