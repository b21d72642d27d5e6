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
}

/**
 * A valid event with its id settled, encoded as canonical JSON members, and the facts a store
 * indexes: plain data, so it can cross a worker-thread boundary cheaply.
 */
export interface PreparedEvent {
  readonly id: string;
  readonly type: LogEntryType;
  /** The decision an action, outcome or annotation belongs to; null on a decision. */
  readonly decisionId: string | null;
  /** Action kind or outcome status, for the `action_kind` and `outcome_status` filters. */
  readonly kind: string | null;
  readonly occurredMs: number;
  /** Its canonical members in canonical order, encoded once: sealing only adds two. */
  readonly members: readonly string[];
  /** Size of its canonical JSON in bytes, the measure of the per-event limit. */
  readonly bytes: number;
  readonly decision: DecisionFacts | null;
  /**
   * The event's personal values, sealed under its subject's key (see privacy/): stored beside
   * the entry, in the same transaction, and never part of the leaf. Only a decision has them,
   * under the subject it names (`assertPersonalSubject`).
   */
  readonly personal?: SealedPersonal;
}

/** Sealed personal values of one event, as a store keeps them beside the entry. */
export interface SealedPersonal {
  readonly subject: string;
  /** The `SealedPersonalData` record as JSON text. */
  readonly sealed: string;
}
