import {
  parseVerifierKey,
  verifyCheckpoint,
  verifyInclusion,
  verifyTlogProof,
  type PinnedLog,
} from '@declog/core';
import { auditProblem, type AuditProblem } from './audit-problem.js';
import { checkEntry, type EntryFailureCode } from './check-entry.js';
import { EVIDENCE_BUNDLE_FORMAT } from './evidence-bundle.js';
import { parseEntry } from './parse-entries-page.js';
import { parseHashList } from './parse-hash-list.js';
import { sameBytes } from './_bytes.js';
import { inChainOrder } from './chain-order.js';

export type BundleProblemCode =
  | 'malformed-bundle'
  | 'malformed-key'
  | 'bad-checkpoint'
  | 'wrong-origin'
  | EntryFailureCode
  | 'bad-leaf-hash'
  | 'bad-inclusion-proof'
  | 'bad-tlog-proof'
  | 'wrong-decision';

/** One proven event of the bundle. */
export interface ProvenEvent {
  readonly seq: number;
  readonly type: string;
  readonly id: string;
}

export type BundleVerification =
  | {
      readonly ok: true;
      readonly decisionId: string;
      readonly origin: string;
      readonly treeSize: number;
      readonly rootHash: Uint8Array;
      readonly events: readonly ProvenEvent[];
    }
  | { readonly ok: false; readonly problem: AuditProblem<BundleProblemCode> };

/**
 * Verifies an evidence bundle offline with nothing but the log's key (and origin, which
 * defaults to the key's name): the checkpoint is signed by that key for that origin; every
 * leaf is the canonical JSON of its event, carries its seq and hashes to its leaf_hash;
 * every inclusion proof and tlog-proof leads to the signed root; and every event belongs
 * to the decision. Nothing in the bundle is trusted, its `verifier_key` least of all.
 */
export function verifyEvidenceBundle(
  bundle: unknown,
  pin: { readonly verifierKey: string; readonly origin?: string },
): BundleVerification {
  const fail = (
    code: BundleProblemCode,
    reason: string,
    seq?: number,
  ): { ok: false; problem: AuditProblem<BundleProblemCode> } => ({
    ok: false,
    problem: auditProblem(code, reason, seq === undefined ? {} : { seq }),
  });
  const key = parseVerifierKey(pin.verifierKey.trim());
  if (!key.ok) return fail('malformed-key', `key: ${key.reason}`);
  const fields = (typeof bundle === 'object' && bundle !== null ? bundle : {}) as Record<
    string,
    unknown
  >;
  if (fields['format'] !== EVIDENCE_BUNDLE_FORMAT) {
    return fail('malformed-bundle', `not a ${EVIDENCE_BUNDLE_FORMAT} bundle`);
  }
  const { checkpoint: note, decision_id: decisionId, entries } = fields;
  if (typeof note !== 'string') return fail('malformed-bundle', 'checkpoint is missing');
  if (typeof decisionId !== 'string') return fail('malformed-bundle', 'decision_id is missing');
  if (!Array.isArray(entries) || entries.length === 0) {
    return fail('malformed-bundle', 'entries are missing');
  }
  const pinned: PinnedLog = { origin: pin.origin ?? key.verifier.name, verifierKey: key.verifier };
  const opened = verifyCheckpoint(note, pinned);
  if (!opened.ok) return fail('bad-checkpoint', `checkpoint: ${opened.reason}`);
  const { size, rootHash, origin } = opened.checkpoint;
  if (fields['origin'] !== origin) {
    return fail(
      'wrong-origin',
      `the bundle names origin ${String(fields['origin'])}, its checkpoint ${origin}`,
    );
  }
  if (fields['tree_size'] !== size) {
    return fail(
      'malformed-bundle',
      `tree_size ${String(fields['tree_size'])} is not the signed size ${size}`,
    );
  }

  const events: ProvenEvent[] = [];
  for (const item of entries) {
    const entry = parseEntry(item);
    if (typeof entry === 'string') return fail('malformed-bundle', `entry: ${entry}`);
    const { seq } = entry;
    if (events.some((e) => e.seq === seq)) return fail('malformed-bundle', `seq ${seq} twice`, seq);
    const checked = checkEntry(entry);
    if (!checked.ok) return fail(checked.code, `seq ${seq}: ${checked.reason}`, seq);
    if (!sameBytes(checked.leafHash, entry.leafHash)) {
      return fail('bad-leaf-hash', `seq ${seq}: leaf_hash is not the hash of the leaf`, seq);
    }
    const proof = parseHashList((item as Record<string, unknown>)['inclusion_proof']);
    if (proof === undefined) return fail('malformed-bundle', `seq ${seq}: inclusion_proof`, seq);
    const included = verifyInclusion(checked.leafHash, seq, size, proof, rootHash);
    if (!included.ok) return fail('bad-inclusion-proof', `seq ${seq}: ${included.reason}`, seq);
    const tlogText = (item as Record<string, unknown>)['tlog_proof'];
    const tlog = verifyTlogProof(
      typeof tlogText === 'string' ? tlogText : '',
      checked.leafHash,
      pinned,
    );
    if (!tlog.ok) return fail('bad-tlog-proof', `seq ${seq}: tlog_proof: ${tlog.reason}`, seq);
    if (tlog.tlogProof.index !== seq || tlog.tlogProof.checkpoint !== note) {
      return fail(
        'bad-tlog-proof',
        `seq ${seq}: tlog_proof is for another index or checkpoint`,
        seq,
      );
    }
    const belongs = belonging(entry.event, decisionId);
    if (typeof belongs === 'string') return fail('wrong-decision', `seq ${seq}: ${belongs}`, seq);
    events.push({ seq, ...belongs });
  }
  if (events.filter((e) => e.type === 'decision').length !== 1) {
    return fail('wrong-decision', `the bundle must hold the decision ${decisionId} exactly once`);
  }
  // Listed as the chain is, whatever order the bundle holds its entries in.
  return {
    ok: true,
    decisionId,
    origin,
    treeSize: size,
    rootHash,
    events: inChainOrder(events, (event) => event),
  };
}

/** The event's type and id if it is the decision or names it, else why not. */
function belonging(event: unknown, decisionId: string): { type: string; id: string } | string {
  const { type, id, decision_id: linkedTo } = event as Record<string, unknown>;
  if (typeof type !== 'string' || typeof id !== 'string') return 'the event has no type or id';
  if (type === 'decision' ? id === decisionId : linkedTo === decisionId) return { type, id };
  return `the ${type} ${id} is not part of decision ${decisionId}`;
}
