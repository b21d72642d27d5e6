import { sha256, sha256OfText } from './_crypto.js';

/** Every hash in the log is a 32-byte SHA-256 digest. */
export const HASH_SIZE = 32;

/**
 * Root of the empty tree, SHA-256 of the empty string (RFC 9162 §2.1.1). One shared
 * array (typed arrays cannot be frozen): never write into it.
 */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/**
 * RFC 9162 leaf hash, SHA-256(0x00 ‖ leaf). The 0x00 prefix keeps a leaf from ever
 * being mistaken for an interior node (second-preimage resistance).
 */
export function leafHash(leaf: Uint8Array): Uint8Array {
  const input = new Uint8Array(leaf.length + 1);
  input.set(leaf, 1);
  return sha256(input);
}

/**
 * `leafHash` of the UTF-8 bytes of `text`: the log's leaves are canonical JSON text, and
 * hashing the text directly is several times faster than encoding it to bytes first.
 */
export function leafHashOfText(text: string): Uint8Array {
  return sha256OfText(`\u0000${text}`);
}

// The input of every interior node of two hashes: hashing is synchronous and copies its
// result out, so one buffer serves all calls and a tree rebuild allocates no inputs.
const NODE_INPUT = new Uint8Array(1 + 2 * HASH_SIZE);
NODE_INPUT[0] = 1;

/** RFC 9162 interior node hash, SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    NODE_INPUT.set(left, 1);
    NODE_INPUT.set(right, 1 + HASH_SIZE);
    return sha256(NODE_INPUT);
  }
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}
