import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, hex, vectors } from './fixtures/test-tree.js';
import { consistencyProof } from './consistency-proof.js';
import { referenceConsistencyProof } from './reference-tree.js';

describe('consistencyProof', () => {
  const tree8 = buildTree(8, (i) =>
    Uint8Array.from(Buffer.from(vectors.tree8.leaves_hex[i] ?? '', 'hex')),
  );

  it('produces the published proofs for the eight-leaf tree', () => {
    for (const v of vectors.tree8.consistency) {
      const proof = consistencyProof(v.size1, v.size2, tree8.nodesAt(v.size2).getNode);
      expect(proof.map(hex), `${v.size1} -> ${v.size2}`).toEqual(v.proof);
      const leaves = tree8.leafHashes.slice(0, v.size2);
      expect(referenceConsistencyProof(leaves, v.size1).map(hex)).toEqual(v.proof);
    }
  });

  it('equals the RFC reference for every pair of sizes up to 64, in O(log n) reads', () => {
    const tree = buildTree(64);
    for (let size2 = 1; size2 <= 64; size2++) {
      const leaves = tree.leafHashes.slice(0, size2);
      for (let size1 = 1; size1 <= size2; size1++) {
        const { getNode, reads } = tree.nodesAt(size2);
        const proof = consistencyProof(size1, size2, getNode);
        const reference = referenceConsistencyProof(leaves, size1);
        if (proof.map(hex).join() !== reference.map(hex).join()) {
          expect.fail(`consistency proof differs from ${size1} to ${size2}`);
        }
        if (reads() > 2 * Math.ceil(Math.log2(size2)) + 1) {
          expect.fail(`${reads()} node reads from ${size1} to ${size2}`);
        }
      }
    }
  });

  it('equals the RFC reference on sampled pairs of sizes up to 1100', () => {
    const tree = buildTree(1100);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 1100 })
          .chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2))),
        ([size1, size2]) => {
          const { getNode, reads } = tree.nodesAt(size2);
          const proof = consistencyProof(size1, size2, getNode);
          const reference = referenceConsistencyProof(tree.leafHashes.slice(0, size2), size1);
          expect(proof.map(hex)).toEqual(reference.map(hex));
          expect(reads()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size2)) + 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a proof from the empty tree or towards a smaller tree', () => {
    const { getNode } = tree8.nodesAt(8);
    expect(() => consistencyProof(0, 8, getNode)).toThrow(RangeError);
    expect(() => consistencyProof(5, 4, getNode)).toThrow(RangeError);
    expect(consistencyProof(8, 8, getNode)).toEqual([]);
  });
});
