import { contentText, leafText, storedLeafText } from '../event/seal-event.js';
import type { PreparedEvent } from '../event/prepared-event.js';
import { leafHashOfText } from '../ledger/hashes.js';

/**
 * Who appends a batch, as far as telling a resend from a conflict goes. A producer may not
 * read what it wrote: an answer that depended on whether its event matched a stored one would
 * let it test guesses of sealed or masked values. So only the key that stored an event, or a
 * submitter who may read the log anyway, learns whether a resend matches.
 */
export interface Submitter {
  /** The API key appending; null for the machine's operator (the CLI on a database file). */
  readonly keyId: string | null;
  /** Whether it may read the log's events (then comparing content tells it nothing new). */
  readonly readsContent: boolean;
}

/** An id the log holds already, as sequencing weighs a resend of it. */
export interface StoredIdentity {
  readonly seq: number;
  /** The key that stored it; null when not known (stored before keys were kept, or locally). */
  readonly storedBy: string | null;
  /** Whether a resubmitted event has the stored content (see sameContent). */
  same(event: PreparedEvent): boolean;
}

/** An event as sequencing placed it: its seq, its leaf (stored text) and the leaf's hash. */
export interface SequencedEntry {
  readonly event: PreparedEvent;
  readonly seq: number;
  /** The canonical JSON of the stored event: the Merkle leaf. */
  readonly json: string;
  /** `json` in the form stores keep (compactEventText). */
  readonly storedText: string;
  readonly leafHash: Uint8Array;
}

export type AppendItemStatus = 'created' | 'duplicate';

export interface AppendedItem {
  readonly id: string;
  readonly seq: number;
  readonly status: AppendItemStatus;
}

/**
 * An event whose id the log holds already: with other content (`content`, told to whoever
 * may compare), or simply taken (`taken`: the same answer whatever was sent).
 */
export type AppendConflict =
  | {
      readonly index: number;
      readonly id: string;
      readonly reason: 'content';
      readonly seq: number;
    }
  | { readonly index: number; readonly id: string; readonly reason: 'taken' };

export type SequenceResult =
  | {
      readonly ok: true;
      readonly items: readonly AppendedItem[];
      /** The new entries, seq by seq from `firstSeq`. */
      readonly entries: readonly SequencedEntry[];
    }
  | { readonly ok: false; readonly conflicts: readonly AppendConflict[] };

/**
 * The one sequencing algorithm of every store: each event of a batch is a duplicate of an
 * event the log holds (same id, same content, and the submitter may know it), a conflict
 * (same id otherwise), or new, and then gets the next seq, from `firstSeq` on, and its leaf.
 * An id twice in the batch is a duplicate of its first occurrence. With any conflict nothing
 * is sequenced: a batch is stored whole or not at all.
 */
export function sequenceBatch(input: {
  readonly events: readonly PreparedEvent[];
  readonly firstSeq: number;
  readonly recordedAt: string;
  readonly submitter: Submitter;
  /** The log's event of an id, if it holds one (live or pruned). */
  readonly stored: (id: string) => StoredIdentity | undefined;
}): SequenceResult {
  const { events, recordedAt, submitter } = input;
  const items: AppendedItem[] = [];
  const entries: SequencedEntry[] = [];
  const conflicts: AppendConflict[] = [];
  const inBatch = new Map<string, SequencedEntry>();
  let seq = input.firstSeq;
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as PreparedEvent;
    const earlier = inBatch.get(event.id);
    const existing: StoredIdentity | undefined =
      earlier === undefined
        ? input.stored(event.id)
        : {
            seq: earlier.seq,
            storedBy: submitter.keyId,
            same: (other) => contentText(other) === contentText(earlier.event),
          };
    if (existing !== undefined) {
      const comparable =
        submitter.readsContent ||
        (submitter.keyId !== null && existing.storedBy === submitter.keyId);
      if (!comparable) conflicts.push({ index, id: event.id, reason: 'taken' });
      else if (existing.same(event)) {
        items.push({ id: event.id, seq: existing.seq, status: 'duplicate' });
      } else conflicts.push({ index, id: event.id, reason: 'content', seq: existing.seq });
      continue;
    }
    if (conflicts.length > 0) continue;
    const json = leafText(event, seq, recordedAt);
    const entry: SequencedEntry = {
      event,
      seq,
      json,
      storedText: storedLeafText(event, seq, recordedAt),
      leafHash: leafHashOfText(json),
    };
    entries.push(entry);
    inBatch.set(event.id, entry);
    items.push({ id: event.id, seq, status: 'created' });
    seq += 1;
  }
  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, items, entries };
}
