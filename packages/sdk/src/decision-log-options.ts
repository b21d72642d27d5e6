import type { MaskingPolicy } from '@declog/core/contract';
import type { DecisionLogError } from './decision-log-error.js';
import type { TraceApi } from './internal/active-trace-id.js';

/** Options of `createDecisionLog`; docs/sdk.md describes each with its default. */
export interface DecisionLogOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:7300`. */
  readonly url?: string;
  /** An API key with the `producer` (or `admin`) role. */
  readonly apiKey?: string;
  /** The tenant to write to (`X-Declog-Tenant`); the key's own by default (embedded: `default`). */
  readonly tenant?: string;
  /**
   * Embedded mode: an SQLite database file to store events in, by the server's own code (Node,
   * with the `declog` package installed), instead of `url` and `apiKey`.
   */
  readonly db?: string;
  /** Embedded mode: a file holding the database's master key (as `declog --master-key`). */
  readonly masterKeyFile?: string;
  /** Embedded mode: the master key's text. Default `$DECLOG_MASTER_KEY`, else `DB.master-key`. */
  readonly masterKey?: string;

  /** A folder for the disk spool and dead-letter file (Node only). */
  readonly spoolDir?: string;
  /** The spool's files never take more bytes than this. Default 1 GiB. */
  readonly spoolMaxBytes?: number;
  /** Size at which a spool segment file is closed and the next begun. Default 8 MiB. */
  readonly spoolSegmentBytes?: number;
  /** `overflow` (default): spool while the server cannot take batches; `always`: spool every batch before sending it. */
  readonly spoolMode?: 'overflow' | 'always';
  /** Where refused events go. Default `dead-letter.ndjson` in spoolDir. */
  readonly deadLetterFile?: string;

  /** A batch is sent once it holds this many events. Default 500. */
  readonly maxBatchEvents?: number;
  /** … or this many bytes of NDJSON. Default 1 MiB. */
  readonly maxBatchBytes?: number;
  /** … or this long after its first event, in milliseconds. Default 200. */
  readonly flushIntervalMs?: number;
  /** Memory holds at most this many unsent events before `overflow` applies. Default 10,000. */
  readonly maxQueueEvents?: number;
  /** … or this many bytes. Default 16 MiB. */
  readonly maxQueueBytes?: number;
  /** What happens when memory is full: `spool` (default with spoolDir), `block` (default without), `drop`. */
  readonly overflow?: 'spool' | 'drop' | 'block';

  /** Requests in flight at once (the spool is replayed one batch at a time). Default 2. */
  readonly maxInFlight?: number;
  /** One request's deadline, in milliseconds. Default 10,000. */
  readonly requestTimeoutMs?: number;
  /** The first retry waits up to this long (full jitter, doubling). Default 100 ms. */
  readonly retryBaseDelayMs?: number;
  /** No wait between retries is longer. Default 30,000 ms. */
  readonly retryMaxDelayMs?: number;
  /** How long `close()` tries to deliver before spooling or dropping what is left. Default 10,000 ms. */
  readonly closeTimeoutMs?: number;

  /** Masks every event before it is queued, with the server's masking rule format. */
  readonly masking?: {
    readonly policy: MaskingPolicy;
    /** At least 16 bytes; required when a rule pseudonymises. */
    readonly pseudonymKey?: Uint8Array;
  };
  /** Put the active span's trace id in `context.trace_id`. Default true (if installed). */
  readonly opentelemetry?: boolean | TraceApi;
  /** Every problem that does not throw: delivery, spool, dead letters, drops. */
  readonly onError?: (error: DecisionLogError) => void;

  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Injected for tests and other runtimes. */
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly newId?: () => string;
}
