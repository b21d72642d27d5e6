import type { EventRecord } from './event-record.js';

/** Memory batches already cut, waiting for a retry or a resend, oldest first, with their size. */
export class HeldBatches {
  private readonly batches: EventRecord[][] = [];
  private heldEvents = 0;
  private heldBytes = 0;

  get events(): number {
    return this.heldEvents;
  }

  /** Bytes as NDJSON: each event and its newline. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Keeps `batch` in front (a retry goes before anything newer). */
  hold(batch: readonly EventRecord[]): void {
    this.batches.unshift([...batch]);
    this.heldEvents += batch.length;
    this.heldBytes += ndjsonBytes(batch);
  }

  /** The oldest batch held, taken out. */
  take(): EventRecord[] | undefined {
    const batch = this.batches.shift();
    if (batch !== undefined) {
      this.heldEvents -= batch.length;
      this.heldBytes -= ndjsonBytes(batch);
    }
    return batch;
  }
}

function ndjsonBytes(batch: readonly EventRecord[]): number {
  return batch.reduce((sum, r) => sum + r.bytes + 1, 0);
}
