import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, hex, tree8LeafHashes, vectors } from './fixtures/test-tree.js';
import { inclusionProof } from './inclusion-proof.js';
import { referenceInclusionProof } from './reference-tree.js';

describe('inclusionProof', () => {
  it('produces the published proofs for the eight-leaf tree', () => {
    const tree = buildTree(8, (i) =>
      Uint8Array.from(Buffer.from(vectors.tree8.leaves_hex[i] ?? '', 'hex')),
    );
    expect(tree.leafHashes.map(hex)).toEqual(tree8LeafHashes.map(hex));
    for (const v of vectors.tree8.inclusion) {
      const proof = inclusionProof(v.index, v.size, tree.nodesAt(v.size).getNode);
      expect(proof.map(hex), `index ${v.index} size ${v.size}`).toEqual(v.proof);
      expect(referenceInclusionProof(tree8LeafHashes.slice(0, v.size), v.index).map(hex)).toEqual(
        v.proof,
      );
    }
  });

  // The reference recomputes whole subtrees (O(n) per proof), so it is compared
  // exhaustively on small trees, covering every shape up to 2^6, and by sampling beyond.
  it('equals the RFC reference for every index of every size up to 64, in O(log n) reads', () => {
    const tree = buildTree(64);
    for (let size = 1; size <= 64; size++) {
      const leaves = tree.leafHashes.slice(0, size);
      for (let index = 0; index < size; index++) {
        const { getNode, reads } = tree.nodesAt(size);
        const proof = inclusionProof(index, size, getNode);
        const reference = referenceInclusionProof(leaves, index);
        if (proof.map(hex).join() !== reference.map(hex).join()) {
          expect.fail(`inclusion proof differs at index ${index}, size ${size}`);
        }
        if (reads() > 2 * Math.ceil(Math.log2(size))) {
          expect.fail(`${reads()} node reads for index ${index}, size ${size}`);
        }
      }
    }
  });

  it('equals the RFC reference on sampled trees up to 1100 leaves', () => {
    const tree = buildTree(1100);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 1100 })
          .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1))),
        ([size, index]) => {
          const { getNode, reads } = tree.nodesAt(size);
          const proof = inclusionProof(index, size, getNode);
          const reference = referenceInclusionProof(tree.leafHashes.slice(0, size), index);
          expect(proof.map(hex)).toEqual(reference.map(hex));
          expect(reads()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses an index outside the tree', () => {
    const { getNode } = buildTree(4).nodesAt(4);
    expect(() => inclusionProof(4, 4, getNode)).toThrow(RangeError);
    expect(() => inclusionProof(0, 0, getNode)).toThrow(RangeError);
  });
});
