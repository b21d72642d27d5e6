import { decodeBase64, encodeBase64 } from './_base64.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import { HASH_SIZE } from './hashes.js';

/**
 * A c2sp.org/tlog-proof@v1: everything needed to check offline that an entry is in
 * the log (an inclusion proof plus the signed checkpoint it leads to), like a detached
 * signature.
 */
export interface TlogProof {
  /** Unauthenticated application data; never trust it without checking it another way. */
  readonly extra?: Uint8Array;
  readonly index: number;
  /** RFC 9162 inclusion proof, the leaf's sibling first. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, verbatim (cosignatures included). */
  readonly checkpoint: string;
}

/** Why a tlog-proof text was rejected. */
export type TlogProofFailureCode = 'malformed-tlog-proof';

const HEADER = 'c2sp.org/tlog-proof@v1';

/**
 * Formats a tlog-proof: the header line, `extra <base64>` when there is extra data,
 * `index <n>`, one base64 hash per line, a blank line, then the checkpoint note.
 * Invalid fields are the caller's bug and throw a RangeError.
 */
export function formatTlogProof(proof: TlogProof): string {
  if (!Number.isSafeInteger(proof.index) || proof.index < 0) {
    throw new RangeError(`bad index ${proof.index}`);
  }
  if (!proof.proof.every((h) => h.length === HASH_SIZE)) {
    throw new RangeError('proof hashes must be 32 bytes');
  }
  if (proof.checkpoint.length === 0 || !proof.checkpoint.endsWith('\n')) {
    throw new RangeError('checkpoint note must end in a newline');
  }
  const lines = [HEADER];
  if (proof.extra !== undefined) lines.push(`extra ${encodeBase64(proof.extra)}`);
  lines.push(`index ${proof.index}`, ...proof.proof.map(encodeBase64), '');
  return `${lines.join('\n')}\n${proof.checkpoint}`;
}

/**
 * Parses a tlog-proof strictly (canonical base64, 32-byte hashes, an index in decimal
 * without leading zeros). The checkpoint is returned as text, unverified: use
 * verifyTlogProof to check the whole thing against a pinned log.
 */
export function parseTlogProof(
  text: string,
): { readonly ok: true; readonly tlogProof: TlogProof } | Failure<TlogProofFailureCode> {
  const bad = (reason: string) => failure('malformed-tlog-proof', reason);
  if (typeof text !== 'string') return bad('a tlog-proof is text');
  const blank = text.indexOf('\n\n');
  if (blank < 0) return bad('no blank line before the checkpoint');
  const head = text.slice(0, blank).split('\n');
  const checkpoint = text.slice(blank + 2);
  if (head.shift() !== HEADER) return bad(`first line must be ${HEADER}`);
  let extra: Uint8Array | undefined;
  if (head[0]?.startsWith('extra ')) {
    extra = decodeBase64(head[0].slice('extra '.length));
    if (extra === undefined) return bad('extra data is not canonical base64');
    head.shift();
  }
  const indexLine = head.shift();
  const indexText = indexLine?.startsWith('index ') ? indexLine.slice('index '.length) : '';
  if (!/^(0|[1-9][0-9]*)$/.test(indexText)) return bad('missing or malformed index line');
  const index = Number(indexText);
  if (!Number.isSafeInteger(index)) return bad(`index ${indexText} is beyond 2^53 - 1`);
  const proof: Uint8Array[] = [];
  for (const line of head) {
    const hash = decodeBase64(line);
    if (hash?.length !== HASH_SIZE) return bad('proof lines must be base64 32-byte hashes');
    proof.push(hash);
  }
  if (checkpoint.length === 0 || !checkpoint.endsWith('\n')) {
    return bad('checkpoint must follow the blank line and end in a newline');
  }
  const tlogProof =
    extra === undefined ? { index, proof, checkpoint } : { extra, index, proof, checkpoint };
  return { ok: true, tlogProof };
}
