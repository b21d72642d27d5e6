import { isPruned, leafHashOfText, type EventStore, type LogRow } from '@declog/core';

/** The leaf hash of an entry: recomputed from its event, or kept by its pruned mark. */
export function rowLeafHash(row: LogRow): Uint8Array {
  return isPruned(row) ? row.pruned.leafHash : leafHashOfText(row.json);
}

/** When the entry was recorded (the server's clock), live or pruned. */
export function rowRecordedAt(row: LogRow): string {
  return isPruned(row)
    ? row.pruned.recordedAt
    : (JSON.parse(row.json) as { recorded_at: string }).recorded_at;
}

/**
 * The first seq recorded at or after `ms`, by binary search: entries are appended in time
 * order (a few concurrent writers may interleave by milliseconds, which moves the answer by
 * as much). `size` when every entry is older.
 */
export async function firstRecordedAtOrAfter(
  store: EventStore,
  size: number,
  ms: number,
): Promise<number> {
  let low = 0;
  let high = size;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    const row = await store.eventBySeq(mid);
    const at = row ? Date.parse(rowRecordedAt(row)) : ms;
    if (at < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}
