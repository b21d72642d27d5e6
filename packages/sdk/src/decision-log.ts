import type {
  ActionEvent,
  AnnotationEvent,
  DecisionEvent,
  OutcomeEvent,
} from '@declog/core/contract';
import type { DecisionLogStats } from './decision-log-stats.js';

/** When an event happened: an RFC 3339 string with an offset, a Date, or epoch milliseconds. */
export type OccurredAt = string | Date | number;

/** Fields every call may set: its own id (else a UUIDv7) and when it happened (else now). */
export interface EnvelopeInput {
  readonly id?: string;
  readonly occurred_at?: OccurredAt;
}

export type DecisionInput = Omit<DecisionEvent, 'type' | 'id' | 'occurred_at'> & EnvelopeInput;
export type ActionInput = ActionEvent['action'] & EnvelopeInput;
export type OutcomeInput = OutcomeEvent['outcome'] & EnvelopeInput;
export type AnnotationInput = AnnotationEvent['annotation'] & EnvelopeInput;

/** What `close()` and `flush()` take. */
export interface WaitOptions {
  /** Give up waiting after this many milliseconds. */
  readonly timeoutMs?: number;
}

/** A producer's handle on a decision log; see `createDecisionLog`. */
export interface DecisionLog {
  /**
   * Logs a decision and returns its id at once; sending happens later, off the caller's path.
   * @throws DecisionLogError `invalid_event` naming each bad field, as the server would.
   */
  decision(input: DecisionInput): string;
  /** Logs an action taken on decision `decisionId`; returns the action's id. */
  action(decisionId: string, input: ActionInput): string;
  /** Logs an outcome of decision `decisionId`; returns the outcome's id. */
  outcome(decisionId: string, input: OutcomeInput): string;
  /** Adds a note to decision `decisionId`; returns the annotation's id. */
  annotate(decisionId: string, input: AnnotationInput): string;
  /**
   * Sends everything queued and resolves true once memory is empty: every event acknowledged,
   * dead-lettered or dropped, or safe in the spool while the server is away; false on timeout.
   */
  flush(options?: WaitOptions): Promise<boolean>;
  /** Flushes (within closeTimeoutMs), spools or drops what is left, and releases the spool. */
  close(options?: WaitOptions): Promise<void>;
  stats(): DecisionLogStats;
}
