/** Size and depth limits of the event contract v1; the HTTP layer and the CLI enforce the same numbers. */
export const LIMITS = {
  /** Largest accepted event, in bytes of its JSON text. */
  maxEventBytes: 64 * 1024,
  /** Most events in one ingest request. */
  maxEventsPerRequest: 10_000,
  /** Largest ingest request body, in bytes. */
  maxRequestBytes: 10 * 1024 * 1024,
  /** Longest rationale summary, in characters. */
  maxSummaryChars: 2000,
  /**
   * Deepest nesting of objects and arrays in an event: the event object is level 1, and each
   * object or array inside another is one level deeper (`prediction.value` is level 3 when it
   * is an object or an array). Strings, numbers, booleans and null add no level.
   */
  maxEventDepth: 32,
} as const;
