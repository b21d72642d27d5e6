/**
 * What a store keeps beside its log, read back in terms of no particular layout, for an
 * auditor to compare with what the leaves say it must keep (see `indexFacts`). Each adapter
 * implements `IndexReader` over its own tables; the comparison (`indexPageProblem`) and the
 * log-wide fingerprints (`index-fingerprint`) are the same for all of them.
 */

/** An entry's own columns, as the store keeps them for its queries. */
export interface StoredEntryColumns {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly decisionId: string | null;
  readonly kind: string | null;
  readonly occurredMs: number;
  /** When the entry was recorded (ms), for a store that keeps it apart (PostgreSQL). */
  readonly recordedMs?: number;
  /** An outcome's label as kept for the analyses (null: none); absent if not read. */
  readonly outcomeLabel?: string | null;
}

/** A decision's query columns, as the store keeps them. */
export interface StoredDecisionColumns {
  readonly seq: number;
  readonly model: string;
  readonly modelVersion: string;
  readonly occurredMs: number;
  readonly subject: string | null;
  readonly recordedMs?: number;
  /** The analyses' columns (see DecisionFacts); each absent if the store does not read it. */
  readonly label?: string | null;
  readonly score?: number | null;
  readonly confidence?: number | null;
  readonly fields?: number | null;
}

/**
 * The sets a store keeps per decision: reason codes, labels (`["key","value"]` as JSON text)
 * and the terms of its summary, as the store's full-text index splits it.
 */
export type IndexSetKind = 'reason' | 'label' | 'text';

export const INDEX_SET_KINDS: readonly IndexSetKind[] = ['reason', 'label', 'text'];

/** One member of a set kept for the decision at `seq`; `position` orders a summary's terms. */
export interface IndexElement {
  readonly seq: number;
  readonly value: string;
  readonly position: number;
}

/** The full-text row kept for a decision, and how many terms it holds. */
export interface StoredTextRow {
  readonly seq: number;
  readonly terms: number;
}

/** A sealed record as the store keeps it beside an event. */
export interface StoredSealedRecord {
  readonly eventId: string;
  readonly subject: string;
  /** Whether it still holds the record: false once shredded. */
  readonly kept: boolean;
  /**
   * The record's JSON text, or the bytes the store packed it into (see packSealedRecord):
   * read only when asked for, to open it.
   */
  readonly content?: string | Uint8Array;
  readonly shreddedAt: string | null;
  readonly shreddedBy: string | null;
}

/** What a store keeps for the log positions of one range. */
export interface StoredIndexPage {
  /** The rows of the entries in the range (at most one per seq, in seq order). */
  readonly entries: readonly StoredEntryColumns[];
  readonly decisions: readonly StoredDecisionColumns[];
  /** The elements of each set the reader lists (see `IndexReader.listed`), in the range. */
  readonly elements: Readonly<Partial<Record<IndexSetKind, readonly IndexElement[]>>>;
  readonly textRows: readonly StoredTextRow[];
  /** The sealed records kept for the event ids asked about. */
  readonly sealed: readonly StoredSealedRecord[];
}

/** A value of a set kind, and the sum of the weights of its elements (see index-fingerprint). */
export interface ValueWeights {
  readonly value: string;
  /** The block of seqs (`seq >> blockBits`) summed; 0 when not by blocks. */
  readonly block: number;
  /** `Σ elementWeight(seq, position, multiplier)` over its elements, modulo the modulus. */
  readonly weight: number;
}

/**
 * An adapter's read side for audits: what it keeps beside the log, read back. Sets it can
 * list for a range of seqs are compared page by page; the others (tables not keyed by seq)
 * are compared log-wide, by fingerprint, which the store sums in place.
 */
export interface IndexReader {
  /** The set kinds `readPage` lists; the others are fingerprinted. */
  readonly listed: readonly IndexSetKind[];
  /**
   * Whether the full-text index keeps where each term is: then a summary's terms are a
   * sequence, the position of each its index in `textTerms`; else a set (positions are 0).
   */
  readonly positionedTerms: boolean;
  /** A summary's terms as this store's full-text index splits it (in order, when positioned). */
  textTerms(summary: string): readonly string[];
  /**
   * What is kept for seqs `from ≤ seq < from + count`, each list in seq order, and the sealed
   * records of `eventIds` (with their content when `sealedContent`).
   */
  readPage(
    from: number,
    count: number,
    eventIds: readonly string[],
    options?: { readonly sealedContent?: boolean },
  ): Promise<StoredIndexPage>;
  /** Those of these subjects whose key was destroyed (erased). */
  erasedSubjects(subjects: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * For each value of a fingerprinted set kind, the weight of its elements with `seq < size`,
   * summed log-wide, or per block of `2^blockBits` seqs when `blockBits` is given.
   */
  valueWeights(
    kind: IndexSetKind,
    size: number,
    multiplier: number,
    blockBits?: number,
  ): Promise<readonly ValueWeights[]>;
  /** Every element of `kind` kept for `from ≤ seq < to` (to narrow a mismatch down; may be slow). */
  elementsIn(kind: IndexSetKind, from: number, to: number): Promise<readonly IndexElement[]>;
  /** How many sealed records the log keeps. */
  sealedCount(): Promise<number>;
  /** Sealed records kept for event ids that are not live events of the log (at most `limit`). */
  strayRecords(limit: number): Promise<readonly StoredSealedRecord[]>;
  close(): Promise<void>;
}
