import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DecisionLogError } from '../decision-log-error.js';
import { Delivery, type DeliveryOptions } from './delivery.js';
import type { EventRecord } from './event-record.js';
import type { DeadLetter, DurableStorage, Spool, SpooledBatch } from './spool.js';
import { unrefTimers } from './timers.js';
import type { SendOutcome, Transport } from './transport.js';

const record = (id: string): EventRecord => ({ id, json: `{"id":"${id}"}`, bytes: id.length + 8 });

/** A transport that answers from a script, then as `fallback`; it records every request. */
function scriptedTransport(answer: (batch: readonly EventRecord[], call: number) => SendOutcome) {
  const requests: { at: number; ids: string[] }[] = [];
  const transport: Transport = {
    send(batch) {
      requests.push({ at: Date.now(), ids: batch.map((r) => r.id) });
      return Promise.resolve(answer(batch, requests.length));
    },
    close: () => Promise.resolve(),
  };
  return { transport, requests };
}

const stored = (batch: readonly EventRecord[]): SendOutcome => ({
  kind: 'stored',
  created: batch.length,
  duplicates: 0,
});
const unavailable: SendOutcome = {
  kind: 'retry',
  status: 503,
  code: 'store_unavailable',
  message: '503',
};

/** An in-memory spool with the file spool's contract. */
function memorySpool(maxEvents = Number.POSITIVE_INFINITY) {
  const batches: EventRecord[][] = [];
  const letters: DeadLetter[] = [];
  const spool: Spool = {
    get pendingEvents() {
      return batches.reduce((n, b) => n + b.length, 0);
    },
    get bytes() {
      return this.pendingEvents * 10;
    },
    append(records) {
      if (this.pendingEvents + records.length > maxEvents) {
        return Promise.reject(new DecisionLogError('spool_full', 'the spool is full'));
      }
      batches.push([...records]);
      return Promise.resolve();
    },
    peek: () =>
      Promise.resolve(
        batches[0] && ({ records: batches[0], position: batches[0] } as SpooledBatch),
      ),
    ack(batch) {
      if (batches[0] === batch.position) batches.shift();
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const storage: DurableStorage = {
    spool,
    deadLetters: { write: (l) => (letters.push(...l), Promise.resolve()) },
    problems: [],
  };
  return { storage, batches, letters };
}

function delivery(transport: Transport, overrides: Partial<DeliveryOptions> = {}) {
  const errors: DecisionLogError[] = [];
  const d = new Delivery({
    transport,
    storage: Promise.resolve(undefined),
    batch: { maxBatchEvents: 500, maxBatchBytes: 1 << 20 },
    maxQueueEvents: 10_000,
    maxQueueBytes: 1 << 24,
    overflow: 'block',
    spoolMode: 'overflow',
    flushIntervalMs: 200,
    maxInFlight: 2,
    backoff: { baseDelayMs: 100, maxDelayMs: 30_000 },
    random: () => 0.5,
    timers: unrefTimers,
    report: (e) => errors.push(e),
    ...overrides,
  });
  return { d, errors };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Delivery: batching', () => {
  it('sends a full batch at once and the rest on the interval', async () => {
    const { transport, requests } = scriptedTransport(stored);
    const { d } = delivery(transport, { batch: { maxBatchEvents: 3, maxBatchBytes: 1 << 20 } });
    for (let i = 0; i < 4; i += 1) d.accept(record(`e${i}`));
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.map((r) => r.ids)).toEqual([['e0', 'e1', 'e2'], ['e3']]);
    d.accept(record('late'));
    await vi.advanceTimersByTimeAsync(199);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.map((r) => r.ids).at(-1)).toEqual(['late']);
    expect(d.stats()).toMatchObject({ queued: 0, sent: 5, retried: 0 });
  });

  it('does no I/O inside accept: nothing is sent before the timers run', () => {
    const { transport, requests } = scriptedTransport(stored);
    const { d } = delivery(transport, { batch: { maxBatchEvents: 1, maxBatchBytes: 1 << 20 } });
    d.accept(record('a'));
    expect(requests).toHaveLength(0);
    expect(d.stats().queued).toBe(1);
  });
});

describe('Delivery: requests in flight', () => {
  it('keeps up to maxInFlight requests in flight while full batches wait, one while it fails', async () => {
    let open = 0;
    let most = 0;
    let failing = false;
    const answers: (() => void)[] = [];
    const transport: Transport = {
      send(batch) {
        open += 1;
        most = Math.max(most, open);
        return new Promise((resolve) =>
          answers.push(() => {
            open -= 1;
            resolve(failing ? unavailable : stored(batch));
          }),
        );
      },
      close: () => Promise.resolve(),
    };
    const { d } = delivery(transport, {
      maxInFlight: 3,
      batch: { maxBatchEvents: 2, maxBatchBytes: 1 << 20 },
    });
    for (let i = 0; i < 12; i += 1) d.accept(record(`e${i}`));
    await vi.advanceTimersByTimeAsync(1);
    expect(open).toBe(3);
    while (answers.length > 0) {
      answers.shift()!();
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(d.stats()).toMatchObject({ sent: 12, queued: 0 });
    expect(most).toBe(3);

    failing = true;
    most = 0;
    for (let i = 0; i < 12; i += 1) d.accept(record(`f${i}`));
    await vi.advanceTimersByTimeAsync(1);
    while (answers.length > 0 && d.stats().retried === 0) {
      answers.shift()!();
      await vi.advanceTimersByTimeAsync(1);
    }
    // Once a request has failed, no new loop starts beside the ones already running.
    for (let round = 0; round < 20; round += 1) {
      for (const answer of answers.splice(0)) answer();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(open).toBeLessThanOrEqual(1);
    }
    failing = false;
    for (let round = 0; round < 40 && d.stats().sent < 24; round += 1) {
      for (const answer of answers.splice(0)) answer();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(d.stats()).toMatchObject({ sent: 24, queued: 0, dropped: 0 });
  });
});

describe('Delivery: retries', () => {
  it('retries a failed batch with growing jittered waits, honouring Retry-After, and stores it once', async () => {
    const { transport, requests } = scriptedTransport((batch, call) =>
      call === 1
        ? { ...unavailable, retryAfterMs: 2_000 }
        : call === 2
          ? unavailable
          : stored(batch),
    );
    const { d, errors } = delivery(transport);
    d.accept(record('a'));
    const flushed = d.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await flushed).toBe(true);
    expect(requests.map((r) => r.ids)).toEqual([['a'], ['a'], ['a']]);
    expect(requests[1]!.at - requests[0]!.at).toBe(2_000); // Retry-After is a floor
    expect(requests[2]!.at - requests[1]!.at).toBe(100); // 2nd retry: 0.5 × 200 ms
    expect(d.stats()).toMatchObject({ sent: 1, retried: 2, queued: 0 });
    expect(errors.map((e) => e.code)).toEqual(['delivery_failed', 'delivery_failed']);
    expect(errors[0]!.serverCode).toBe('store_unavailable');
  });

  it('spools a batch the server cannot take, then replays the spool before anything newer', async () => {
    let up = false;
    const { transport, requests } = scriptedTransport((batch) =>
      up ? stored(batch) : unavailable,
    );
    const { storage, batches } = memorySpool();
    const { d } = delivery(transport, { storage: Promise.resolve(storage), overflow: 'spool' });
    d.accept(record('old'));
    await vi.advanceTimersByTimeAsync(200);
    expect(batches).toEqual([[record('old')]]);
    d.accept(record('new'));
    await vi.advanceTimersByTimeAsync(300);
    expect(batches.map((b) => b.map((r) => r.id))).toEqual([['old'], ['new']]);
    up = true;
    await vi.advanceTimersByTimeAsync(60_000);
    const delivered = requests.filter((_, i) => i >= requests.length - 2).map((r) => r.ids);
    expect(delivered).toEqual([['old'], ['new']]);
    expect(d.stats()).toMatchObject({ sent: 2, spooled: 2, replayed: 2, spoolPending: 0 });
  });
});

describe('Delivery: refused batches', () => {
  const refuseBad =
    (withIndex: boolean) =>
    (batch: readonly EventRecord[]): SendOutcome => {
      const bad = batch.flatMap((r, index) => (r.id.startsWith('bad') ? [index] : []));
      if (bad.length === 0) return stored(batch);
      return {
        kind: 'rejected',
        status: 400,
        code: 'invalid_event',
        message: `${bad.length} of ${batch.length} event(s) are invalid; nothing was stored`,
        issues: bad.map((index) => ({
          ...(withIndex && { index }),
          path: 'model.version',
          message: 'is required',
        })),
      };
    };

  it('dead-letters only the events the server names by index and resends the others once', async () => {
    const { transport, requests } = scriptedTransport(refuseBad(true));
    const { storage, letters } = memorySpool();
    const { d, errors } = delivery(transport, {
      storage: Promise.resolve(storage),
      overflow: 'spool',
    });
    for (const id of ['g0', 'bad1', 'g2', 'bad3', 'g4']) d.accept(record(id));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(requests.map((r) => r.ids)).toEqual([
      ['g0', 'bad1', 'g2', 'bad3', 'g4'],
      ['g0', 'g2', 'g4'],
    ]);
    expect(letters.map((l) => [l.record.id, l.error.issues.map((i) => i.path)])).toEqual([
      ['bad1', ['model.version']],
      ['bad3', ['model.version']],
    ]);
    expect(d.stats()).toMatchObject({ sent: 3, rejected: 2, retried: 0 });
    expect(errors.filter((e) => e.code === 'dead_lettered').map((e) => e.eventIds)).toEqual([
      ['bad1'],
      ['bad3'],
    ]);
  });

  it('halves a refused batch whose culprits are not named until each bad event stands alone', async () => {
    const { transport } = scriptedTransport(refuseBad(false));
    const { storage, letters } = memorySpool();
    const { d } = delivery(transport, { storage: Promise.resolve(storage), overflow: 'spool' });
    const ids = Array.from({ length: 16 }, (_, i) => (i === 5 || i === 11 ? `bad${i}` : `g${i}`));
    for (const id of ids) d.accept(record(id));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(letters.map((l) => l.record.id)).toEqual(['bad5', 'bad11']);
    expect(d.stats()).toMatchObject({ sent: 14, rejected: 2 });
  });

  it('dead-letters from a replayed spool batch too, and acknowledges it once settled', async () => {
    let up = false;
    const { transport } = scriptedTransport((batch) => (up ? refuseBad(true)(batch) : unavailable));
    const { storage, batches, letters } = memorySpool();
    const { d } = delivery(transport, { storage: Promise.resolve(storage), overflow: 'spool' });
    for (const id of ['g0', 'bad1', 'g2']) d.accept(record(id));
    await vi.advanceTimersByTimeAsync(250);
    expect(batches).toHaveLength(1);
    up = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(batches).toHaveLength(0);
    expect(letters.map((l) => l.record.id)).toEqual(['bad1']);
    expect(d.stats()).toMatchObject({ sent: 2, replayed: 2, rejected: 1 });
  });
});

describe('Delivery: a full memory queue', () => {
  it("drops and counts the newest events with overflow 'drop', reporting their ids once", async () => {
    const { transport } = scriptedTransport(() => unavailable);
    const { d, errors } = delivery(transport, { overflow: 'drop', maxQueueEvents: 3 });
    for (let i = 0; i < 5; i += 1) d.accept(record(`e${i}`));
    await vi.advanceTimersByTimeAsync(1);
    expect(d.stats()).toMatchObject({ dropped: 2 });
    const dropped = errors.filter((e) => e.code === 'dropped');
    expect(dropped.map((e) => e.eventIds)).toEqual([['e3', 'e4']]);
  });

  it('keeps events in memory when the spool is full, and drops past twice the limit', async () => {
    const { transport } = scriptedTransport(() => unavailable);
    const { storage } = memorySpool(2);
    const { d, errors } = delivery(transport, {
      storage: Promise.resolve(storage),
      overflow: 'spool',
      maxQueueEvents: 4,
      batch: { maxBatchEvents: 2, maxBatchBytes: 1 << 20 },
    });
    for (let i = 0; i < 20; i += 1) {
      d.accept(record(`e${i}`));
      await vi.advanceTimersByTimeAsync(10);
    }
    const stats = d.stats();
    expect(stats.spoolPending).toBe(2);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.queued + stats.spoolPending + stats.dropped).toBe(20);
    expect(errors.some((e) => e.code === 'spool_full')).toBe(true);
    expect(errors.some((e) => e.code === 'dropped')).toBe(true);
  });
});

describe('Delivery: close', () => {
  it('spools what is left when the server stays away', async () => {
    const { transport } = scriptedTransport(() => unavailable);
    const { storage, batches } = memorySpool();
    const { d } = delivery(transport, { storage: Promise.resolve(storage), overflow: 'spool' });
    for (let i = 0; i < 3; i += 1) d.accept(record(`e${i}`));
    const closed = d.close(1_000);
    await vi.advanceTimersByTimeAsync(40_000);
    await closed;
    expect(batches.flat().map((r) => r.id)).toEqual(['e0', 'e1', 'e2']);
    expect(d.stats()).toMatchObject({ dropped: 0, queued: 0, spoolPending: 3 });
  });

  it('without a spool, reports the events it could not deliver by close as unsent_at_close', async () => {
    const { transport } = scriptedTransport(() => unavailable);
    const { d, errors } = delivery(transport);
    d.accept(record('a'));
    const closed = d.close(1_000);
    await vi.advanceTimersByTimeAsync(40_000);
    await closed;
    expect(d.stats()).toMatchObject({ dropped: 1, queued: 0 });
    expect(errors.at(-1)?.code).toBe('unsent_at_close');
    expect(errors.at(-1)?.eventIds).toEqual(['a']);
  });
});
