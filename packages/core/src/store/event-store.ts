import type { PreparedEvent } from '../event/prepared-event.js';
import type { LogAnalytics } from './log-analytics.js';
import type { AppendConflict, AppendedItem, Submitter } from './sequence-batch.js';
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

/**
 * An entry pruned by retention: its event is gone, its leaf hash stays in the tree (so proofs
 * of every other entry still verify), with what is needed to answer for it.
 */
export interface PrunedRow {
  readonly seq: number;
  readonly type: LogEntryType;
  readonly pruned: PrunedMark;
}

export interface PrunedMark {
  readonly id: string;
  readonly decisionId: string | null;
  /** The hash of the leaf the event was: the tree keeps it. */
  readonly leafHash: Uint8Array;
  /** SHA-256 of the event's content (see contentDigest): a resend is still a duplicate. */
  readonly contentDigest: Uint8Array;
  readonly recordedAt: string;
  readonly prunedAt: string;
  readonly prunedBy: string;
}

/** A log position as a store answers for it: the stored event, or its pruned mark. */
export type LogRow = StoredRow | PrunedRow;

export const isPruned = (row: LogRow): row is PrunedRow => 'pruned' in row;

/** A live decision as retention weighs it: its age is that of its chain's newest entry. */
export interface RetentionCandidate {
  readonly seq: number;
  readonly id: string;
  readonly model: string;
  readonly subject: string | null;
  /** The highest seq of the decision and its actions, outcomes and annotations. */
  readonly newestSeq: number;
  /** Whether sealed personal values are still kept beside it. */
  readonly hasPersonalData: boolean;
}

/** An action, outcome or annotation whose decision is not (or no longer) in the log. */
export interface OrphanEntry {
  readonly seq: number;
  readonly id: string;
  readonly decisionId: string;
}

/**
 * The outcome of an append: every event stored (or found stored already), or nothing stored,
 * because of conflicting ids, or because the sealing keys the batch was sealed with are no
 * longer the ones in force (`stale-keys`: a subject was erased, or another writer made a
 * subject's key first, since they were read; seal again with fresh keys and retry).
 */
export type AppendResult =
  | { readonly ok: true; readonly items: readonly AppendedItem[] }
  | { readonly ok: false; readonly conflicts: readonly AppendConflict[] }
  | { readonly ok: false; readonly staleKeys: true };

/** The subject keys a batch was sealed with, as the append checks and stores them. */
export interface SealingKeys {
  /** The tenant's erasure epoch when the keys were read (see GovernanceStore.erasureEpoch). */
  readonly epoch: number;
  /** Keys made for the batch's new subjects, wrapped: stored in the append's transaction. */
  readonly created: readonly { readonly subject: string; readonly wrappedKey: string }[];
}

/** How an append is made, beyond its events. */
export interface AppendOptions {
  /** What an acknowledged append survives: `synced` unless given. */
  readonly durability?: Durability;
  /** Who appends; the machine's operator (may compare content, stores no key) unless given. */
  readonly submitter?: Submitter;
  /** With sealed events: the keys they were sealed with. */
  readonly sealing?: SealingKeys;
}

export interface DecisionChainRows {
  readonly decision: StoredRow;
  /** Actions, outcomes and annotations of the decision, in `occurred_at` order, then `seq`. */
  readonly linked: readonly StoredRow[];
}

/** A decision of a page, with its place in the page order (for a cursor after it). */
export interface DecisionRow extends StoredRow {
  readonly occurredMs: number;
}

export interface DecisionPage {
  readonly items: readonly DecisionRow[];
  readonly next: Cursor | null;
}

/** What a store holds of an event's sealed personal values. */
export interface StoredPersonal {
  readonly subject: string;
  /**
   * The sealed record: its JSON text, or the bytes a store packed it into instead (see
   * packSealedRecord; unpackSealedRecord gives the text back); null once shredded.
   */
  readonly sealed: string | Uint8Array | null;
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
 * index tables). `json` must be `leafText(event, seq, recordedAt)`.
 */
export interface SealedEntry {
  readonly event: PreparedEvent;
  readonly seq: number;
  readonly recordedAt: string;
  /** The stored canonical JSON text, the entry's Merkle leaf. */
  readonly json: string;
  /**
   * A sealed record shredded where the entry comes from (its subject erased): the target keeps
   * it shredded, by whom and when, under its subject. `event.personal` is then absent.
   */
  readonly shredded?: ShreddedRecord;
}

/** Who shredded a sealed record, and when, and whose it was. */
export interface ShreddedRecord {
  readonly subject: string;
  readonly at: string;
  readonly by: string;
}

/**
 * What an acknowledged append survives. `synced`: a power loss too (the commit is flushed to
 * the disk first). `written`: a crash of the process (the commit is handed to the operating
 * system, or to the database server, and flushed with the next synced commit); for records
 * written on every read, where a flush per request would be most of its cost.
 */
export type Durability = 'synced' | 'written';

/** An entry as a copy carries it: sealed with its event, or pruned (its mark and leaf hash). */
export type CopiedEntry = SealedEntry | PrunedRow;

/**
 * Appending to a log: the one job that changes what the log holds (see sequenceBatch).
 * Appends are atomic per call and durable when the promise resolves.
 */
export interface LogAppends {
  /**
   * Appends a batch in order, as sequenceBatch (core) places it: each new event gets the next
   * `seq` and is sealed with `recordedAt`; an id already stored is a duplicate or a conflict.
   * Each new event keeps the submitter's key. With `sealing`, the keys made for new subjects
   * are stored in the same transaction, and the append fails with `staleKeys` when the
   * tenant's erasure epoch moved or another writer stored a key for one of those subjects.
   * Durable as `durability` says when the promise resolves.
   */
  append(
    events: readonly PreparedEvent[],
    recordedAt: string,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Appends entries sealed elsewhere (a copy of another store's log), keeping their bytes, seqs
   * and `recorded_at` as given, with the same tree nodes and index rows as `append`; a pruned
   * entry is kept as its mark, its leaf hash in the tree. Atomic:
   * throws and stores nothing unless the entries continue the log exactly (the first `seq` is
   * the log's size, the rest follow one by one), each `json` is its event sealed, and no id is
   * stored already.
   */
  appendSealed(entries: readonly CopiedEntry[]): Promise<void>;
}

/** Reading a log: its entries, decisions, sealed records and tree nodes. */
export interface LogReads {
  /** Number of events in the log (the next `seq`). */
  size(): Promise<number>;
  /** The entry at `seq`: its event, or its mark once pruned. */
  eventBySeq(seq: number): Promise<LogRow | null>;
  /** A live event; see prunedById for one pruned. */
  eventById(id: string): Promise<StoredRow | null>;
  prunedById(id: string): Promise<PrunedRow | null>;
  decisionChain(decisionId: string): Promise<DecisionChainRows | null>;
  /** How many stored actions, outcomes and annotations name this decision id. */
  countLinked(decisionId: string): Promise<number>;
  queryDecisions(filter: DecisionFilter, page: DecisionPageRequest): Promise<DecisionPage>;
  /** The sealed personal values kept beside these events, by event id (absent: none). */
  personalData(ids: readonly string[]): Promise<ReadonlyMap<string, StoredPersonal>>;
  /**
   * Entries from `fromSeq` on, in seq order, at most `limit` of them, pruned ones as marks;
   * with `maxBytes`, they end once their stored text reaches that many bytes (at least one).
   */
  scan(fromSeq: number, limit: number, maxBytes?: number): Promise<readonly LogRow[]>;
  /**
   * Hashes of complete Merkle tree nodes (level 0 = leaf hashes), in the order asked. The
   * append that stores an event also stores every node it completes. Throws if one is missing.
   */
  merkleNodes(refs: readonly NodeRef[]): Promise<readonly Uint8Array[]>;
  /** A log setting (such as its origin); the first value set for a key stays. */
  setting(key: string): Promise<string | null>;
}

/** Retention's reads and changes: what may go, and taking it out while proofs still hold. */
export interface LogRetention {
  /** Live decisions with `fromSeq <= seq < beforeSeq`, in seq order, at most `limit`. */
  retentionCandidates(
    fromSeq: number,
    beforeSeq: number,
    limit: number,
  ): Promise<readonly RetentionCandidate[]>;
  /** Orphans with `fromSeq <= seq < beforeSeq`, in seq order, at most `limit`. */
  orphans(fromSeq: number, beforeSeq: number, limit: number): Promise<readonly OrphanEntry[]>;
  /**
   * Deletes the sealed personal values of a subject's events (or of the events given),
   * keeping who did it and when; returns how many records were shredded now.
   */
  shredPersonalData(
    target: { readonly subject: string } | { readonly ids: readonly string[] },
    at: string,
    by: string,
  ): Promise<number>;
  /**
   * Prunes the chains of these decisions (the decision and every event naming it) and these
   * single entries, in one transaction: each event, its index rows and its sealed personal
   * values are deleted, its leaf hash stays in the tree and a pruned mark takes its place.
   * Returns how many entries were pruned now (pruned ones are skipped).
   */
  prune(
    target: { readonly decisions: readonly string[]; readonly seqs: readonly number[] },
    at: string,
    by: string,
  ): Promise<number>;
}

/** The signed checkpoints a log has issued, and its pinned settings. */
export interface LogCheckpoints {
  /** Keeps a checkpoint; false when one of that size is already kept (it is left as it was). */
  addCheckpoint(checkpoint: StoredCheckpoint): Promise<boolean>;
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  /** The checkpoint kept for exactly this tree size, if one was issued. */
  checkpointAt(size: number): Promise<StoredCheckpoint | null>;
  /** Every kept checkpoint in size order, from `fromSize` on. */
  checkpoints(fromSize?: number): Promise<readonly StoredCheckpoint[]>;
  /** Sets `key` unless it is set already, and returns the value in force. */
  initSetting(key: string, value: string): Promise<string>;
}

/**
 * The log's storage, by job. Every adapter (SQLite, PostgreSQL) implements each part and
 * passes the same conformance suites; a service asks for the part it needs.
 */
export interface EventStore
  extends LogAppends, LogReads, LogRetention, LogCheckpoints, LogAnalytics {
  close(): Promise<void>;
}
