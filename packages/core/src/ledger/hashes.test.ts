import { describe, expect, it } from 'vitest';
import { fromHex, hex, vectors } from './fixtures/test-tree.js';
import { EMPTY_ROOT, leafHash, leafHashOfText, nodeHash } from './hashes.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('RFC 9162 hashes', () => {
  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe(vectors.hasher.empty_tree_root);
  });

  it('prefixes leaves with 0x00', () => {
    expect(hex(leafHash(new Uint8Array(0)))).toBe(vectors.hasher.leaf_hash_of_empty);
    for (const v of vectors.hasher.leaf_hash) {
      expect(hex(leafHash(ascii(v.input_ascii))), v.input_ascii).toBe(v.hash);
    }
  });

  it('prefixes interior nodes with 0x01 and keeps the children in order', () => {
    for (const v of vectors.hasher.node_hash) {
      expect(hex(nodeHash(ascii(v.left_ascii), ascii(v.right_ascii)))).toBe(v.hash);
      expect(hex(nodeHash(ascii(v.right_ascii), ascii(v.left_ascii)))).not.toBe(v.hash);
    }
  });

  it('never confuses a leaf with a node over the same bytes', () => {
    const left = fromHex('00'.repeat(32));
    const right = fromHex('11'.repeat(32));
    const joined = new Uint8Array([...left, ...right]);
    expect(hex(leafHash(joined))).not.toBe(hex(nodeHash(left, right)));
  });
});

describe('leafHashOfText', () => {
  it('is the leaf hash of the UTF-8 bytes of the text', () => {
    for (const text of ['', 'a', '{"é":"€😀"}', 'x'.repeat(70_000)]) {
      expect(Buffer.from(leafHashOfText(text))).toEqual(
        Buffer.from(leafHash(Buffer.from(text, 'utf8'))),
      );
    }
  });
});
