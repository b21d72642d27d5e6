import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTree, hex, vectors } from './fixtures/test-tree.js';
import { merkleRoot } from './reference-tree.js';
import { rootAt, subtreeHash } from './subtree-hash.js';
import { isValidSubtree } from './tree-math.js';

describe('subtreeHash', () => {
  // The accumulated "subtree hash" vector of draft-ietf-plants-merkle-tree-certs, as
  // reproduced in the transparency-dev and torchwood tests: leaf i is the byte i.
  it('matches the rolling subtree-hash vector for every valid range up to 130', () => {
    const tree = buildTree(130, (i) => Uint8Array.of(i));
    const { getNode } = tree.nodesAt(130);
    const digest = createHash('sha256');
    for (let end = 0; end <= 130; end++) {
      for (let start = 0; start <= end; start++) {
        if (!isValidSubtree(start, end)) continue;
        digest.update(`[${start}, ${end}) ${hex(subtreeHash(start, end, getNode))}\n`);
      }
    }
    expect(digest.digest('hex')).toBe(vectors.rolling_subtree_hashes.sha256_of_all_lines);
  });

  it('computes every past root from stored nodes alone', () => {
    const tree = buildTree(300);
    for (let size = 0; size <= 300; size++) {
      const { getNode, reads } = tree.nodesAt(size);
      expect(hex(rootAt(size, getNode)), `size ${size}`).toBe(
        hex(merkleRoot(tree.leafHashes.slice(0, size))),
      );
      expect(reads()).toBeLessThanOrEqual(9); // one per set bit of the size
    }
  });
});
