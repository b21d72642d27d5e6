import { leafText } from '../event/seal-event.js';
import type { CopiedEntry } from './event-store.js';

/**
 * Why `entries` cannot be appended as they are to a log of `size` entries, or null: they must
 * start at seq `size` and follow one by one, each `json` must be exactly its event sealed with
 * its seq and `recordedAt` (so that the index rows and the stored bytes agree), `recordedAt`
 * must be a timestamp, and no id may appear twice. A pruned entry needs a 32-byte leaf hash.
 * Ids already stored are the adapter's to check.
 */
export function sealedEntriesProblem(entries: readonly CopiedEntry[], size: number): string | null {
  const ids = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const expected = size + i;
    if (entry.seq !== expected) {
      return i === 0
        ? `entries must continue the log: it holds ${size} entries, so the first must be seq ${size}, not ${entry.seq}`
        : `entries must follow one by one: seq ${expected} expected after seq ${expected - 1}, not ${entry.seq}`;
    }
    if ('pruned' in entry) {
      const { pruned } = entry;
      if (Number.isNaN(Date.parse(pruned.recordedAt))) {
        return `seq ${entry.seq}: recorded_at ${JSON.stringify(pruned.recordedAt)} is not a timestamp`;
      }
      if (pruned.leafHash.length !== 32) return `seq ${entry.seq}: the leaf hash is not 32 bytes`;
      if (ids.has(pruned.id)) return `seq ${entry.seq}: id ${pruned.id} appears twice`;
      ids.add(pruned.id);
      continue;
    }
    if (Number.isNaN(Date.parse(entry.recordedAt))) {
      return `seq ${entry.seq}: recorded_at ${JSON.stringify(entry.recordedAt)} is not a timestamp`;
    }
    if (leafText(entry.event, entry.seq, entry.recordedAt) !== entry.json) {
      return `seq ${entry.seq}: the stored bytes are not the event sealed with its seq and recorded_at`;
    }
    if (ids.has(entry.event.id)) return `seq ${entry.seq}: id ${entry.event.id} appears twice`;
    ids.add(entry.event.id);
  }
  return null;
}
