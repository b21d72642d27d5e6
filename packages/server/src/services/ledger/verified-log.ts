import { frontierRoot, type Frontier } from '@declog/core';
import { decodeBase64, encodeBase64 } from './_base64.js';
import { sameBytes } from './_bytes.js';
import { parseHashList } from './parse-hash-list.js';

/**
 * What a remote audit remembers of a log between runs: the last checkpoint it verified
 * (size and root), the right edge of that tree (so that the next run only reads new
 * entries), and the log it pinned (origin and key).
 */
export interface VerifiedLog {
  readonly origin: string;
  readonly verifierKey: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly frontier: Frontier;
}

/** The JSON form kept in a state file. */
export function verifiedLogJson(log: VerifiedLog): Record<string, unknown> {
  return {
    origin: log.origin,
    key: log.verifierKey,
    size: log.size,
    root: encodeBase64(log.rootHash),
    frontier: log.frontier.hashes.map(encodeBase64),
  };
}

/**
 * Reads the JSON form back, refusing anything inconsistent: the frontier must have one
 * hash per set bit of the size and fold to the root, so a damaged file cannot vouch for
 * a tree it never saw.
 */
export function parseVerifiedLog(
  value: unknown,
):
  | { readonly ok: true; readonly log: VerifiedLog }
  | { readonly ok: false; readonly reason: string } {
  const bad = (reason: string) => ({ ok: false as const, reason });
  if (typeof value !== 'object' || value === null) return bad('not an object');
  const { origin, key, size, root, frontier } = value as Record<string, unknown>;
  if (typeof origin !== 'string' || origin === '') return bad('origin is missing');
  if (typeof key !== 'string' || key === '') return bad('key is missing');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    return bad('size is not a non-negative integer');
  }
  const rootHash = decodeBase64(root);
  if (rootHash?.length !== 32) return bad('root is not a base64 32-byte hash');
  const hashes = parseHashList(frontier);
  if (hashes === undefined) return bad('frontier is not a list of base64 32-byte hashes');
  const edge = { size, hashes };
  if (hashes.length !== setBits(size) || !sameBytes(frontierRoot(edge), rootHash)) {
    return bad(`frontier does not match the tree of size ${size} and its root`);
  }
  return { ok: true, log: { origin, verifierKey: key, size, rootHash, frontier: edge } };
}

function setBits(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}
