/** Size limits of the event contract v1; the HTTP layer and the CLI enforce the same numbers. */
export const LIMITS = {
  /** Largest accepted event, in bytes of its JSON text. */
  maxEventBytes: 64 * 1024,
  /** Most events in one ingest request. */
  maxEventsPerRequest: 10_000,
  /** Largest ingest request body, in bytes. */
  maxRequestBytes: 10 * 1024 * 1024,
  /** Longest rationale summary, in characters. */
  maxSummaryChars: 2000,
} as const;
