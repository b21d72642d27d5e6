import type { PreparedEvent } from '../event/prepared-event.js';
import type { Cursor } from '../query/cursor.js';
import type { DecisionFilter, DecisionPageRequest } from '../query/decision-query.js';
import type { LogEntryType } from '../event/prepared-event.js';
import type { NodeRef } from '../ledger/tree-math.js';

/** One stored event: its position, type and the exact canonical JSON text of the stored event. */
export interface StoredRow {
  readonly seq: number;
  readonly type: LogEntryType;
  readonly json: string;
}

export type AppendItemStatus = 'created' | 'duplicate';

export interface AppendedItem {
  readonly id: string;
  readonly seq: number;
  readonly status: AppendItemStatus;
}

/** An event whose id is taken by a stored event with different content. */
export interface AppendConflict {
  readonly index: number;
  readonly id: string;
  readonly seq: number;
}

/** All events were stored (or were already there), or nothing was stored because of conflicts. */
export type AppendResult =
  | { readonly ok: true; readonly items: readonly AppendedItem[] }
  | { readonly ok: false; readonly conflicts: readonly AppendConflict[] };

export interface DecisionChainRows {
  readonly decision: StoredRow;
  /** Actions, outcomes and annotations of the decision, in `occurred_at` order, then `seq`. */
  readonly linked: readonly StoredRow[];
}

export interface DecisionPage {
  readonly items: readonly StoredRow[];
  readonly next: Cursor | null;
}

/** What a store holds of an event's sealed personal values. */
export interface StoredPersonal {
  readonly subject: string;
  /** The sealed record (JSON text), or null once shredded. */
  readonly sealed: string | null;
  readonly shreddedAt: string | null;
  readonly shreddedBy: string | null;
}

/** A signed checkpoint as issued: never edited or deleted, so any two can be proven consistent. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The C2SP signed note, exactly as issued. */
  readonly note: string;
  readonly issuedAt: string;
}

/**
 * An entry exactly as another store of the same log keeps it, for copying a log: its place,
 * the time it was recorded and its stored bytes, with the prepared event they encode (for the
 * index tables). `json` must be `sealMembers(event.members, seq, recordedAt)`.
 */
export interface SealedEntry {
  readonly event: PreparedEvent;
  readonly seq: number;
  readonly recordedAt: string;
  /** The stored canonical JSON text, the entry's Merkle leaf. */
  readonly json: string;
}

/**
 * The log's storage. Every adapter (SQLite, PostgreSQL) implements this and passes the same
 * conformance suite. Appends are atomic per call and durable when the promise resolves.
 */
export interface EventStore {
  /**
   * Appends a batch in order: each new event gets the next `seq` and is sealed with `recordedAt`;
   * an id already stored with the same content is a duplicate, with other content a conflict.
   */
  append(events: readonly PreparedEvent[], recordedAt: string): Promise<AppendResult>;
  /**
   * Appends entries sealed elsewhere (a copy of another store's log), keeping their bytes, seqs
   * and `recorded_at` as given, with the same tree nodes and index rows as `append`. Atomic:
   * throws and stores nothing unless the entries continue the log exactly (the first `seq` is
   * the log's size, the rest follow one by one), each `json` is its event sealed, and no id is
   * stored already.
   */
  appendSealed(entries: readonly SealedEntry[]): Promise<void>;
  /** Number of events in the log (the next `seq`). */
  size(): Promise<number>;
  eventBySeq(seq: number): Promise<StoredRow | null>;
  eventById(id: string): Promise<StoredRow | null>;
  decisionChain(decisionId: string): Promise<DecisionChainRows | null>;
  /** How many stored actions, outcomes and annotations name this decision id. */
  countLinked(decisionId: string): Promise<number>;
  queryDecisions(filter: DecisionFilter, page: DecisionPageRequest): Promise<DecisionPage>;
  /** The sealed personal values kept beside these events, by event id (absent: none). */
  personalData(ids: readonly string[]): Promise<ReadonlyMap<string, StoredPersonal>>;
  /**
   * Deletes the sealed personal values of a subject's events (or of the events given),
   * keeping who did it and when; returns how many records were shredded now.
   */
  shredPersonalData(
    target: { readonly subject: string } | { readonly ids: readonly string[] },
    at: string,
    by: string,
  ): Promise<number>;
  /** Events from `fromSeq` on, in seq order, at most `limit` of them. */
  scan(fromSeq: number, limit: number): Promise<readonly StoredRow[]>;

  /**
   * Hashes of complete Merkle tree nodes (level 0 = leaf hashes), in the order asked. The
   * append that stores an event also stores every node it completes. Throws if one is missing.
   */
  merkleNodes(refs: readonly NodeRef[]): Promise<readonly Uint8Array[]>;
  /** Keeps a checkpoint; false when one of that size is already kept (it is left as it was). */
  addCheckpoint(checkpoint: StoredCheckpoint): Promise<boolean>;
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  /** The checkpoint kept for exactly this tree size, if one was issued. */
  checkpointAt(size: number): Promise<StoredCheckpoint | null>;
  /** Every kept checkpoint in size order, from `fromSize` on. */
  checkpoints(fromSize?: number): Promise<readonly StoredCheckpoint[]>;

  /** A log setting (such as its origin); the first value set for a key stays. */
  setting(key: string): Promise<string | null>;
  /** Sets `key` unless it is set already, and returns the value in force. */
  initSetting(key: string, value: string): Promise<string>;
  close(): Promise<void>;
}
