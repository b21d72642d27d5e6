import { canonicalJson } from '@declog/core/contract';
import { fromBase64, toBase64, utf8 } from './bytes';
import { checkpointSignedBy, parseCheckpointNote } from './checkpoint-note';
import { leafHash } from './merkle-hash';
import type { VerifierKey } from './verifier-key';
import { verifyInclusion } from './verify-inclusion';

/** A stored event as the chain with proofs holds it (the leaf's form). */
export interface StoredEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly decision_id?: string;
  readonly [member: string]: unknown;
}

/** The answer of `GET /v1/decisions/{id}?proof=true`. */
export interface ChainWithProofs {
  readonly decision: StoredEvent;
  readonly actions: readonly StoredEvent[];
  readonly outcomes: readonly StoredEvent[];
  readonly annotations: readonly StoredEvent[];
  readonly checkpoint: string;
  readonly tree_size: number;
  readonly proofs: readonly { seq: number; leaf_hash: string; hashes: readonly string[] }[];
}

export type ChainVerification =
  | { readonly verified: true; readonly treeSize: number; readonly events: number }
  | { readonly verified: false; readonly why: string };

/**
 * Checks a decision's chain in the browser, trusting nothing the server computed: the
 * checkpoint's Ed25519 signature against the pinned key, then for each event the leaf hash of
 * its canonical JSON (recomputed here, not the `leaf_hash` the server sent) and its inclusion
 * proof up to the signed root. The first failure is the answer, in words.
 */
export async function verifyChain(
  chain: ChainWithProofs,
  pinned: VerifierKey,
  id: string,
): Promise<ChainVerification> {
  const fail = (why: string): ChainVerification => ({ verified: false, why });
  const parsed = parseCheckpointNote(chain.checkpoint);
  if (!parsed.ok) return fail(parsed.why);
  const note = parsed.note;
  if (!(await checkpointSignedBy(note, pinned))) {
    return fail(`the checkpoint is not signed by the pinned key ${pinned.name}`);
  }
  if (note.size !== chain.tree_size) {
    return fail(`the proofs are for size ${chain.tree_size}, the checkpoint for ${note.size}`);
  }
  if (chain.decision.id !== id || chain.decision.type !== 'decision') {
    return fail(`the server answered another event than decision ${id}`);
  }
  const linked = [
    ...chain.actions.map((event) => ({ event, type: 'action' })),
    ...chain.outcomes.map((event) => ({ event, type: 'outcome' })),
    ...chain.annotations.map((event) => ({ event, type: 'annotation' })),
  ];
  for (const { event, type } of linked) {
    if (event.type !== type || event.decision_id !== id) {
      return fail(`event ${event.id} is listed as this decision's ${type} but is not`);
    }
  }
  const events = [chain.decision, ...linked.map((item) => item.event)];
  if (chain.proofs.length !== events.length) {
    return fail(`${events.length} events came with ${chain.proofs.length} proofs`);
  }
  for (const event of events) {
    const proof = chain.proofs.find((p) => p.seq === event.seq);
    if (!proof) return fail(`event ${event.id} (seq ${event.seq}) has no proof`);
    const hashes = proof.hashes.map(fromBase64);
    if (hashes.some((hash) => hash === null || hash.length !== 32)) {
      return fail(`the proof of seq ${event.seq} holds a hash that is not 32 bytes of base64`);
    }
    let leaf: Uint8Array<ArrayBuffer>;
    try {
      leaf = utf8(canonicalJson(event));
    } catch {
      return fail(`event ${event.id} cannot be written as canonical JSON`);
    }
    const hash = await leafHash(leaf);
    const included = await verifyInclusion(
      hash,
      event.seq,
      note.size,
      hashes as Uint8Array[],
      note.root,
    );
    if (!included) {
      const edited =
        proof.leaf_hash === toBase64(hash) ? '' : ' the server sent another leaf hash;';
      return fail(
        `event ${event.id} (seq ${event.seq}) as served is not the one in the signed log:${edited} its leaf hash and proof do not lead to the checkpoint's root`,
      );
    }
  }
  return { verified: true, treeSize: note.size, events: events.length };
}
