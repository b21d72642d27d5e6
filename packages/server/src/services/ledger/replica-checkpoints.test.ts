import { describe, expect, it } from 'vitest';
import { isDeclogError } from '../../errors.js';
import { signedLog } from './fixtures/signed-log.js';
import { replicaCheckpoints } from './replica-checkpoints.js';

/** A sleep that records each wait and runs `onSleep` (the replica replaying) instead. */
function fakeSleep(onSleep: (n: number) => Promise<void> = async () => undefined) {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      await onSleep(waits.length);
    },
  };
}

describe('checkpoints of a read replica', () => {
  it('answers with the latest checkpoint when it covers what is asked', async () => {
    const log = await signedLog(12, [4, 10]);
    const clock = fakeSleep();
    const source = replicaCheckpoints(log.store, { sleep: clock.sleep });
    expect((await source.latest()).size).toBe(10);
    expect((await source.covering(7)).size).toBe(10);
    expect(clock.waits).toEqual([]);
  });

  it('does not wait for entries the replica does not have: the caller refuses them', async () => {
    const log = await signedLog(12, [10]);
    const clock = fakeSleep();
    const source = replicaCheckpoints(log.store, { sleep: clock.sleep });
    expect((await source.covering(13)).size).toBe(10);
    expect(clock.waits).toEqual([]);
  });

  it('waits for the checkpoint of entries the replica has until it replays here', async () => {
    const log = await signedLog(12, [4]);
    const clock = fakeSleep(async (n) => {
      if (n === 3) await log.checkpoint();
    });
    const source = replicaCheckpoints(log.store, { sleep: clock.sleep, pollMs: 50 });
    expect((await source.covering(11)).size).toBe(12);
    expect(clock.waits).toEqual([50, 50, 50]);
  });

  it('gives up with checkpoint_pending after waitMs, and never signs one itself', async () => {
    const log = await signedLog(12, [4]);
    const clock = fakeSleep();
    const source = replicaCheckpoints(log.store, { sleep: clock.sleep, waitMs: 200, pollMs: 50 });
    const error: unknown = await source.covering(12).catch((e: unknown) => e);
    if (!isDeclogError(error)) expect.fail(`expected a DeclogError, got ${String(error)}`);
    expect(error.code).toBe('checkpoint_pending');
    expect(error.message).toBe(
      'no signed checkpoint of 12 entries has reached this read replica yet (its latest signs 4); ' +
        'the primary signs one within a second of each write: retry',
    );
    expect(clock.waits).toEqual([50, 50, 50, 50]);
    expect((await log.store.checkpoints()).map((c) => c.size)).toEqual([4]);
  });

  it('waits for the first checkpoint of a log that has none yet', async () => {
    const log = await signedLog(3, []);
    const source = replicaCheckpoints(log.store, { sleep: fakeSleep().sleep, waitMs: 0 });
    await expect(source.latest()).rejects.toThrow(
      /^no signed checkpoint has reached this read replica yet; /,
    );
    const clock = fakeSleep(async () => void (await log.checkpoint()));
    expect((await replicaCheckpoints(log.store, { sleep: clock.sleep }).latest()).size).toBe(3);
    expect(clock.waits).toHaveLength(1);
  });
});
