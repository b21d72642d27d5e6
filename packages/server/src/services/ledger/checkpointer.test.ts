import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventStore } from '@declog/core';
import { DeclogError } from '../../errors.js';
import { startCheckpointer } from './checkpointer.js';
import type { LogIdentity } from './log-identity.js';

/** A store whose log is empty and already checkpointed, as long as `size` answers. */
function storeWith(size: () => Promise<number>): EventStore {
  const checkpoint = { size: 0, rootHash: new Uint8Array(32), note: '', issuedAt: '' };
  return { size, latestCheckpoint: async () => checkpoint } as unknown as EventStore;
}

const outage = () =>
  new DeclogError('store_unavailable', 'the database is unavailable (refused); retry', [], {
    cause: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
  });

function start(store: EventStore) {
  const logError = vi.fn();
  const logNotice = vi.fn();
  const deps = { store, identity: {} as LogIdentity, now: () => new Date(0) };
  const checkpointer = startCheckpointer(() => [deps], { intervalMs: 250, logError, logNotice });
  return { checkpointer, logError, logNotice };
}

describe('startCheckpointer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports a store outage once when it begins and once when it ends', async () => {
    let down = true;
    const { checkpointer, logError, logNotice } = start(
      storeWith(async () => {
        if (down) throw outage();
        return 0;
      }),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    down = false;
    await vi.advanceTimersByTimeAsync(2_000);
    await checkpointer.stop();
    expect(logNotice.mock.calls).toEqual([
      ['store unavailable, checkpoints paused (connect ECONNREFUSED 127.0.0.1:5432)'],
      ['store available again, checkpoints resumed'],
    ]);
    expect(logError).not.toHaveBeenCalled();
  });

  it('logs any other failure as an error, at each attempt', async () => {
    const { checkpointer, logError, logNotice } = start(
      storeWith(async () => {
        throw new Error('bug');
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await checkpointer.stop();
    expect(logError).toHaveBeenCalledTimes(4);
    expect(logNotice).not.toHaveBeenCalled();
  });

  it('starts no run while the previous one still waits on the store', async () => {
    let release = () => {};
    const size = vi.fn(() => new Promise<number>((resolve) => (release = () => resolve(0))));
    const { checkpointer } = start(storeWith(size));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(size).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(250);
    expect(size).toHaveBeenCalledTimes(2);
    release();
    await checkpointer.stop();
  });
});
