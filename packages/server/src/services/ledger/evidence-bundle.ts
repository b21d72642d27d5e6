import { formatTlogProof, leafHash } from '@declog/core';
import { encodeBase64 } from './_base64.js';
import { inChainOrder } from './chain-order.js';

/** The format tag of evidence bundles; a verifier refuses any other. */
export const EVIDENCE_BUNDLE_FORMAT = 'declog-evidence-bundle/v1';

/** One event of a decision's chain with what proves it is in the log. */
export interface EvidenceEntry {
  readonly seq: number;
  /** The exact leaf bytes: the canonical JSON of the stored event. */
  readonly leaf: Uint8Array;
  readonly event: unknown;
  /** RFC 9162 inclusion proof of `seq` in the checkpoint's tree. */
  readonly inclusionProof: readonly Uint8Array[];
}

/**
 * A self-contained evidence bundle (JSON value): the signed checkpoint, and for every event
 * of one decision's chain (the decision, then its actions, outcomes and annotations) its leaf,
 * leaf hash, event, inclusion proof and the same proof as a c2sp.org/tlog-proof text. `verifier_key` is informational only: a verifier must be given
 * the key out of band, or the bundle proves nothing.
 */
export function evidenceBundle(parts: {
  readonly origin: string;
  readonly verifierKey: string | null;
  readonly checkpoint: { readonly note: string; readonly size: number };
  readonly decisionId: string;
  readonly entries: readonly EvidenceEntry[];
}): Record<string, unknown> {
  const { checkpoint } = parts;
  return {
    format: EVIDENCE_BUNDLE_FORMAT,
    origin: parts.origin,
    verifier_key: parts.verifierKey,
    checkpoint: checkpoint.note,
    tree_size: checkpoint.size,
    decision_id: parts.decisionId,
    entries: inChainOrder(parts.entries, (entry) => ({
      type: (entry.event as { type?: unknown } | null)?.type,
      seq: entry.seq,
    })).map((entry) => ({
      seq: entry.seq,
      leaf: encodeBase64(entry.leaf),
      leaf_hash: encodeBase64(leafHash(entry.leaf)),
      event: entry.event,
      inclusion_proof: entry.inclusionProof.map(encodeBase64),
      tlog_proof: formatTlogProof({
        index: entry.seq,
        proof: entry.inclusionProof,
        checkpoint: checkpoint.note,
      }),
    })),
  };
}
