import { isPruned, MAX_PAGE_BYTES, type EventStore } from '@declog/core';
import type { Answer } from '../answer.js';

/** Entries looked at per request at most: a rare filter pages on instead of scanning on. */
const SCAN_BUDGET = 10_000;
const SCAN_CHUNK = 500;

/** Which entries of a trail one page holds. */
export interface TrailPageRequest<E> {
  /** The seq to start at. */
  readonly from: number;
  readonly limit: number;
  /** Entries recorded at or after this time (ms) end the listing. */
  readonly toMs?: number;
  /** Whether an entry (recorded at `atMs`) is listed. */
  readonly keep: (entry: E, atMs: number) => boolean;
}

/**
 * One page of a trail's entries in log order: `{"items": [...], "next_cursor": "SEQ" | null}`.
 * It looks at a bounded number of entries and holds at most MAX_PAGE_BYTES of them (at least
 * one); `next_cursor` continues after the last entry looked at, so a page may hold fewer than
 * `limit` entries while more follow.
 */
export async function trailPage<E extends { readonly recorded_at: string }>(
  store: EventStore,
  request: TrailPageRequest<E>,
): Promise<Answer> {
  const size = await store.size();
  let seq = request.from;
  const items: string[] = [];
  let bytes = 0;
  let scanned = 0;
  scanning: while (seq < size && items.length < request.limit && scanned < SCAN_BUDGET) {
    const chunk = Math.min(SCAN_CHUNK, SCAN_BUDGET - scanned);
    const rows = await store.scan(seq, chunk, MAX_PAGE_BYTES);
    if (rows.length === 0) break;
    for (const row of rows) {
      scanned += 1;
      // A trail is never pruned; a mark here would have nothing to show.
      if (!isPruned(row)) {
        const entry = JSON.parse(row.json) as E;
        const at = Date.parse(entry.recorded_at);
        if (request.toMs !== undefined && at >= request.toMs) {
          seq = size;
          break scanning;
        }
        if (request.keep(entry, at)) {
          const added = Buffer.byteLength(row.json) + (items.length > 0 ? 1 : 0);
          // Left for the next page, which starts at it.
          if (items.length > 0 && bytes + added > MAX_PAGE_BYTES) break scanning;
          items.push(row.json);
          bytes += added;
        }
      }
      seq = row.seq + 1;
      if (items.length === request.limit) break scanning;
    }
  }
  const next = seq < size ? JSON.stringify(String(seq)) : 'null';
  return { json: `{"items":[${items.join(',')}],"next_cursor":${next}}`, records: items.length };
}
