/**
 * Where a log's ledger endpoints are. The decision log and each access trail serve the same
 * ledger API under their own paths; the verifier key is the server's one signing key.
 */
export interface LedgerPaths {
  /** The latest signed checkpoint. */
  readonly checkpoint: string;
  /** Consecutive entries: `PATH?from=&limit=`. */
  readonly entries: string;
  /** The proofs: `PATH/consistency`, `PATH/inclusion`. */
  readonly proofs: string;
}

/**
 * The read side of a declog server's ledger API, as an auditor reaches it. Implementations
 * only fetch and parse JSON; everything they return is unverified and checked by the caller.
 */
export interface LogReader {
  /** Where it reads, as problems name it; default the decision log's paths. */
  readonly paths?: LedgerPaths;
  /** `GET /v1/log/checkpoint` (or the access trail's): the latest signed checkpoint note. */
  checkpoint(): Promise<string>;
  /** `GET /v1/log/key`: the verifier key the server says it signs with. */
  verifierKey(): Promise<string>;
  /** `GET /v1/events?from=&limit=`: `{items: [{seq, leaf, leaf_hash, event}], next}`. */
  entries(from: number, limit: number): Promise<unknown>;
  /** `GET /v1/log/proof/consistency?from=&to=`: `{from, to, hashes}`. */
  consistencyProof(from: number, to: number): Promise<unknown>;
  /** `GET /v1/decisions/{id}?proof=true`: the chain, a checkpoint and inclusion proofs. */
  decisionWithProofs(id: string): Promise<unknown>;
}
