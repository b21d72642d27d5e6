/** One event as the SDK holds it once accepted: its id and its JSON text, serialised once. */
export interface EventRecord {
  readonly id: string;
  readonly json: string;
  /** UTF-8 bytes of `json`. */
  readonly bytes: number;
}
