import type { EventRecord } from './event-record.js';

/** When a batch is cut: whichever limit is reached first. */
export interface BatchLimits {
  readonly maxBatchEvents: number;
  /** Bytes of the NDJSON body: each event's bytes and a newline. */
  readonly maxBatchBytes: number;
}

/**
 * The in-memory queue of accepted events, cut into batches by count and bytes. No timers and
 * no I/O: the delivery loop decides when to take a batch.
 */
export class BatchQueue {
  private items: EventRecord[] = [];
  private head = 0;
  private queuedBytes = 0;

  constructor(private readonly limits: BatchLimits) {}

  /** Events waiting. */
  get events(): number {
    return this.items.length - this.head;
  }

  /** Bytes waiting, as NDJSON (each event and its newline). */
  get bytes(): number {
    return this.queuedBytes;
  }

  push(record: EventRecord): void {
    this.items.push(record);
    this.queuedBytes += record.bytes + 1;
  }

  /** True when a full batch (by count or bytes) is waiting. */
  hasFullBatch(): boolean {
    return (
      this.events >= this.limits.maxBatchEvents || this.queuedBytes >= this.limits.maxBatchBytes
    );
  }

  /**
   * Takes the oldest events that fit in one batch: at most `maxBatchEvents`, and at most
   * `maxBatchBytes` unless a single event is larger (it then goes alone). Undefined when empty.
   */
  take(): EventRecord[] | undefined {
    if (this.events === 0) return undefined;
    const batch: EventRecord[] = [];
    let bytes = 0;
    while (this.head < this.items.length && batch.length < this.limits.maxBatchEvents) {
      const next = this.items[this.head];
      if (next === undefined) break;
      if (batch.length > 0 && bytes + next.bytes + 1 > this.limits.maxBatchBytes) break;
      batch.push(next);
      bytes += next.bytes + 1;
      this.head += 1;
    }
    this.queuedBytes -= bytes;
    // Drop the consumed prefix now and then, so the array does not grow without end.
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return batch;
  }
}
