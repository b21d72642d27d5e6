import { describe, expect, it } from 'vitest';
import { issuingCheckpoints } from './checkpoint-source.js';
import { signedLog } from './fixtures/signed-log.js';

describe('checkpoints of the store appended to', () => {
  it('signs and keeps the first checkpoint of a log that has none', async () => {
    const log = await signedLog(5, []);
    const source = issuingCheckpoints({ ...log, now: () => new Date(0) });
    expect((await source.latest()).size).toBe(5);
    expect((await log.store.checkpoints()).map((c) => c.size)).toEqual([5]);
  });

  it('signs a checkpoint of the whole log only when the latest falls short', async () => {
    const log = await signedLog(9, [4]);
    const source = issuingCheckpoints({ ...log, now: () => new Date(0) });
    expect((await source.covering(4)).size).toBe(4);
    expect((await source.latest()).size).toBe(4);
    expect((await source.covering(5)).size).toBe(9);
    expect((await log.store.checkpoints()).map((c) => c.size)).toEqual([4, 9]);
  });
});
