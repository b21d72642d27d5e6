import type { DecisionLogIssue } from '../decision-log-error.js';
import type { EventRecord } from './event-record.js';

/** What became of one batch sent to the log. */
export type SendOutcome =
  /** Every event is stored: `created` new ones, `duplicates` already stored with this content. */
  | { readonly kind: 'stored'; readonly created: number; readonly duplicates: number }
  /**
   * The log refused the batch because of some of its events and stored none of them.
   * `issues` name the bad events by `index`; without any index the culprit is unknown.
   */
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly code: string;
      readonly message: string;
      readonly issues: readonly DecisionLogIssue[];
    }
  /** Not stored for a reason that passes (network, 429, 5xx, a refused key): try again. */
  | {
      readonly kind: 'retry';
      readonly message: string;
      readonly status?: number;
      readonly code?: string;
      readonly retryAfterMs?: number;
      readonly cause?: unknown;
    };

/**
 * How batches reach a log: HTTP today (`http-transport.ts`); an embedded store later, behind
 * the same two methods. A transport never throws: every failure is an outcome.
 */
export interface Transport {
  send(batch: readonly EventRecord[]): Promise<SendOutcome>;
  close(): Promise<void>;
}
