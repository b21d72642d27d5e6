import type { AppendedItem } from '@declog/core';

/**
 * What the CLI needs from a log, whether it opens the database itself or talks to a server.
 * Failures are thrown as DeclogError with the same codes and details either way.
 */
export interface LogClient {
  /** Appends NDJSON lines (one event each) atomically. */
  ingest(lines: readonly string[]): Promise<readonly AppendedItem[]>;
  /** `GET /v1/decisions/{id}` as JSON text. */
  decisionChain(id: string): Promise<string>;
  /** `GET /v1/decisions?…` as JSON text. */
  listDecisions(params: URLSearchParams): Promise<string>;
  close(): Promise<void>;
}
