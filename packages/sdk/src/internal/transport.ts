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
      /** What `onError` hears: `delivery_failed` unless the log itself could not be opened. */
      readonly report?: 'db_unavailable';
    };

/**
 * How batches reach a log: a server over HTTP (`http-transport.ts`), or a database of the
 * process's own (`node/embedded-transport.ts`). A transport never throws: every failure is an
 * outcome.
 */
export interface Transport {
  send(batch: readonly EventRecord[]): Promise<SendOutcome>;
  close(): Promise<void>;
}
