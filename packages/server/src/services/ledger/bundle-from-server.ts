import { Buffer } from 'node:buffer';
import { canonicalJson } from '@declog/core';
import { evidenceBundle, type EvidenceEntry } from './evidence-bundle.js';
import type { LogReader } from './log-reader.js';
import { parseHashList } from './parse-hash-list.js';

/**
 * The evidence bundle of a decision from a server's `GET /v1/decisions/{id}?proof=true`.
 * Nothing is trusted here either: the bundle is only assembled, and whoever verifies it
 * checks every part against the key they hold.
 */
export async function bundleFromServer(
  reader: LogReader,
  decisionId: string,
): Promise<Record<string, unknown>> {
  const answer = await reader.decisionWithProofs(decisionId);
  return bundleOfChain(answer, decisionId, (await reader.verifierKey()).trim());
}

/** The evidence bundle of a `GET /v1/decisions/{id}?proof=true` answer, assembled as it is. */
export function bundleOfChain(
  chain: unknown,
  decisionId: string,
  verifierKey: string,
): Record<string, unknown> {
  const answer = chain as Record<string, unknown> | null;
  const note = answer?.['checkpoint'];
  const size = answer?.['tree_size'];
  const proofs = answer?.['proofs'];
  if (typeof note !== 'string' || typeof size !== 'number' || !Array.isArray(proofs)) {
    throw new Error('the server answered without checkpoint, tree_size and proofs');
  }
  const events = new Map<number, unknown>();
  for (const part of ['decision', 'actions', 'outcomes', 'annotations']) {
    for (const event of [answer?.[part]].flat()) {
      const seq = (event as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') events.set(seq, event);
    }
  }
  const entries: EvidenceEntry[] = proofs.map((proof: Record<string, unknown> | null) => {
    const seq = proof?.['seq'];
    const event = typeof seq === 'number' ? events.get(seq) : undefined;
    const inclusionProof = parseHashList(proof?.['hashes']);
    if (typeof seq !== 'number' || event === undefined || inclusionProof === undefined) {
      throw new Error(`the server sent a malformed proof: ${JSON.stringify(proof)}`);
    }
    return { seq, leaf: Buffer.from(canonicalJson(event), 'utf8'), event, inclusionProof };
  });
  return evidenceBundle({
    origin: note.slice(0, note.indexOf('\n')),
    verifierKey,
    checkpoint: { note, size },
    decisionId,
    entries,
  });
}
