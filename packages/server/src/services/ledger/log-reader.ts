/**
 * The read side of a declog server's ledger API, as an auditor reaches it. Implementations
 * only fetch and parse JSON; everything they return is unverified and checked by the caller.
 */
export interface LogReader {
  /** `GET /v1/log/checkpoint`: the latest signed checkpoint note. */
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
