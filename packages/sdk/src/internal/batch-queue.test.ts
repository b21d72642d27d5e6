import { describe, expect, it } from 'vitest';
import { BatchQueue } from './batch-queue.js';
import type { EventRecord } from './event-record.js';

const record = (id: string, bytes = 10): EventRecord => ({ id, json: 'x'.repeat(bytes), bytes });

describe('BatchQueue', () => {
  it('cuts batches by count, oldest first', () => {
    const queue = new BatchQueue({ maxBatchEvents: 3, maxBatchBytes: 1_000_000 });
    for (let i = 0; i < 7; i += 1) queue.push(record(`e${i}`));
    expect(queue.hasFullBatch()).toBe(true);
    expect(queue.take()?.map((r) => r.id)).toEqual(['e0', 'e1', 'e2']);
    expect(queue.take()?.map((r) => r.id)).toEqual(['e3', 'e4', 'e5']);
    expect(queue.hasFullBatch()).toBe(false);
    expect(queue.take()?.map((r) => r.id)).toEqual(['e6']);
    expect(queue.take()).toBeUndefined();
    expect(queue.events).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it('cuts batches by bytes of NDJSON (each event and its newline)', () => {
    const queue = new BatchQueue({ maxBatchEvents: 100, maxBatchBytes: 33 });
    for (let i = 0; i < 4; i += 1) queue.push(record(`e${i}`, 10));
    expect(queue.bytes).toBe(44);
    expect(queue.hasFullBatch()).toBe(true);
    expect(queue.take()?.map((r) => r.id)).toEqual(['e0', 'e1', 'e2']); // 33 bytes
    expect(queue.take()?.map((r) => r.id)).toEqual(['e3']);
  });

  it('sends an event larger than the byte limit alone rather than never', () => {
    const queue = new BatchQueue({ maxBatchEvents: 100, maxBatchBytes: 20 });
    queue.push(record('small', 5));
    queue.push(record('big', 50));
    queue.push(record('after', 5));
    expect(queue.take()?.map((r) => r.id)).toEqual(['small']);
    expect(queue.take()?.map((r) => r.id)).toEqual(['big']);
    expect(queue.take()?.map((r) => r.id)).toEqual(['after']);
  });

  it('keeps order and counts across many pushes and takes (the array is compacted)', () => {
    const queue = new BatchQueue({ maxBatchEvents: 7, maxBatchBytes: 1_000_000 });
    const seen: string[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      queue.push(record(`e${i}`));
      if (i % 3 === 0) seen.push(...(queue.take() ?? []).map((r) => r.id));
    }
    for (let batch = queue.take(); batch; batch = queue.take())
      seen.push(...batch.map((r) => r.id));
    expect(seen).toEqual(Array.from({ length: 20_000 }, (_, i) => `e${i}`));
  });
});
