/** Counters and gauges of one decision log (`log.stats()`); see docs/sdk.md. */
export interface DecisionLogStats {
  /** Events in memory now, waiting to be sent or spooled. */
  readonly queued: number;
  /** Events the server has acknowledged (stored now, or already stored with this content). */
  readonly sent: number;
  /** Event sends that failed for a passing reason and were tried again. */
  readonly retried: number;
  /** Events written to the disk spool. */
  readonly spooled: number;
  /** Events sent from the spool and acknowledged (part of `sent`). */
  readonly replayed: number;
  /** Events given up without being stored: the `drop` policy, a full spool, close's deadline. */
  readonly dropped: number;
  /** Events the server refused as invalid or conflicting, written to the dead-letter file. */
  readonly rejected: number;
  /** Events in the spool now, not yet acknowledged. */
  readonly spoolPending: number;
  /** Bytes the spool's files take now. */
  readonly spoolBytes: number;
}
