import type { EventType } from '../contract/event-schema.js';

/** What a log entry is: a decision-chain event, or (in an access trail) an access record. */
export type LogEntryType = EventType | 'access' | 'security';

/** Query columns of a decision, extracted once at ingest so every store indexes the same facts. */
export interface DecisionFacts {
  readonly model: string;
  readonly modelVersion: string;
  readonly subject: string | null;
  readonly reasonCodes: readonly string[];
  readonly labels: readonly (readonly [key: string, value: string])[];
  readonly summary: string;
  /** `prediction.label` as text (see labelText), or null; for the analyses. */
  readonly label: string | null;
  /** `prediction.score`, or null. */
  readonly score: number | null;
  readonly confidence: number | null;
  /** The optional fields it has, as a bit mask of DECISION_FIELDS (see decisionFieldMask). */
  readonly fields: number;
}

/**
 * A valid event with its id settled, encoded as canonical JSON once, and the facts a store
 * indexes: plain data, so it can cross a worker-thread boundary cheaply. Its canonical text is
 * kept in pieces around the places where sequencing adds `recorded_at` and `seq`: the leaf is
 * `{head,"recorded_at":…middle,"seq":…tail}` (see leafText), and its content, what a resend
 * must repeat, is `head + middle + tail`. The event contract has no member between the two
 * (`middle` is empty); an access entry has (`records`, `route`).
 */
export interface PreparedEvent {
  readonly id: string;
  readonly type: LogEntryType;
  /** The decision an action, outcome or annotation belongs to; null on a decision. */
  readonly decisionId: string | null;
  /** Action kind or outcome status, for the `action_kind` and `outcome_status` filters. */
  readonly kind: string | null;
  readonly occurredMs: number;
  /** The canonical members that sort before `recorded_at`, comma-separated (`id` is one). */
  readonly head: string;
  /** The canonical members that sort between `recorded_at` and `seq`, each after a comma. */
  readonly middle: string;
  /** The canonical members that sort after `seq`, each after a comma (`type` is one). */
  readonly tail: string;
  /** `head`, `middle`, and `tail` with the closing brace, as a store keeps them (compactEventText). */
  readonly storedHead: string;
  readonly storedMiddle: string;
  readonly storedTail: string;
  /** Size of its canonical JSON in bytes, the measure of the per-event limit. */
  readonly bytes: number;
  readonly decision: DecisionFacts | null;
  /** An outcome's `label` as text (see labelText), for the analyses; absent otherwise. */
  readonly outcomeLabel?: string;
  /**
   * The event's personal values, sealed under its subject's key (see privacy/): stored beside
   * the entry, in the same transaction, and never part of the leaf. Only a decision has them,
   * under the subject it names (`assertPersonalSubject`).
   */
  readonly personal?: SealedPersonal;
  /**
   * Set when the decision was sealed under a throwaway key because its subject is erased: its
   * personal values are gone, and its commitment is a new one each time it is sent, so a resend
   * is told by the rest of its content (see sameContent).
   */
  readonly erasedSubject?: true;
}

/** Sealed personal values of one event, as a store keeps them beside the entry. */
export interface SealedPersonal {
  readonly subject: string;
  /**
   * The `SealedPersonalData` record: packed (see packSealedRecord), or as JSON text where it
   * does not pack.
   */
  readonly sealed: Uint8Array | string;
}
