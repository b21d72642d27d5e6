import { Buffer } from 'node:buffer';
import { canonicalJson, isCanonicalJsonText, leafHash, leafHashOfText } from '@declog/core';

/** Why an entry is not what the log says it is. */
export type EntryFailureCode = 'edited-entry' | 'reordered-entry';

export type EntryCheck =
  | { readonly ok: true; readonly leafHash: Uint8Array }
  | { readonly ok: false; readonly code: EntryFailureCode; readonly reason: string };

/**
 * Checks one log entry the way any verifier can: the leaf bytes must be exactly the
 * RFC 8785 canonical JSON of the event, and the event must carry the entry's own `seq`.
 * Returns the leaf hash to build the tree with. Nothing here trusts its input.
 *
 * @example checkEntry({ seq: 4, leaf: Buffer.from(storedJson), event: JSON.parse(storedJson) })
 */
export function checkEntry(entry: {
  readonly seq: number;
  /** The leaf bytes, or (from a store that keeps them as text) their UTF-8 text. */
  readonly leaf: Uint8Array | string;
  readonly event: unknown;
}): EntryCheck {
  const { seq, leaf, event } = entry;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { ok: false, code: 'edited-entry', reason: 'the event is not a JSON object' };
  }
  const ownSeq = (event as { seq?: unknown }).seq;
  if (ownSeq !== seq) {
    return {
      ok: false,
      code: 'reordered-entry',
      reason: `the event there says it is seq ${JSON.stringify(ownSeq) ?? 'undefined'}`,
    };
  }
  const text = typeof leaf === 'string' ? leaf : Buffer.from(leaf).toString('utf8');
  // The fast check answers yes for every canonical leaf whose event keeps the leaf's member
  // order (a parsed leaf does); anything else gets the full re-encoding.
  const same =
    (typeof leaf === 'string' || Buffer.from(text, 'utf8').equals(leaf)) &&
    (isCanonicalJsonText(text, event) || canonicalOrNull(event) === text);
  if (!same) {
    return {
      ok: false,
      code: 'edited-entry',
      reason: 'the leaf bytes are not the canonical JSON of the event',
    };
  }
  return {
    ok: true,
    leafHash: typeof leaf === 'string' ? leafHashOfText(leaf) : leafHash(leaf),
  };
}

function canonicalOrNull(value: unknown): string | null {
  try {
    return canonicalJson(value);
  } catch {
    return null;
  }
}
