import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, flipBit, fromHex, tree8LeafHashes, vectors } from './fixtures/test-tree.js';
import { frontierRoot } from './frontier.js';
import { EMPTY_ROOT, leafHash } from './hashes.js';
import { inclusionProof } from './inclusion-proof.js';
import { verifyInclusion } from './verify-inclusion.js';

const rootOf = (size: number) => fromHex(vectors.tree8.roots_by_size[String(size)] ?? '');
const leaf = (index: number) => tree8LeafHashes[index] ?? new Uint8Array(32);

interface Case {
  readonly what: string;
  readonly leaf: Uint8Array;
  readonly index: number;
  readonly size: number;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** Every mutation the shared vectors list for inclusion proofs, applied to one proof. */
function mutations(v: Omit<Case, 'what'>): Case[] {
  const { proof } = v;
  const other = leafHash(Uint8Array.of(0xff));
  const cases: Case[] = [
    { ...v, what: 'index - 1', index: v.index - 1 },
    { ...v, what: 'index + 1', index: v.index + 1 },
    { ...v, what: 'index ^ 2', index: v.index ^ 2 },
    { ...v, what: 'size * 2', size: v.size * 2 },
    { ...v, what: 'size / 2', size: Math.floor(v.size / 2) },
    { ...v, what: 'wrong leaf', leaf: other },
    { ...v, what: 'root = empty-tree root', root: EMPTY_ROOT },
    { ...v, what: 'other root', root: other },
    { ...v, what: 'element appended', proof: [...proof, other] },
    { ...v, what: 'element prepended', proof: [other, ...proof] },
    { ...v, what: 'non-integer index', index: v.index + 0.5 },
    { ...v, what: 'short root', root: v.root.subarray(0, 31) },
    { ...v, what: 'short leaf', leaf: v.leaf.subarray(0, 31) },
  ];
  if (proof.length > 0)
    cases.push({ ...v, what: 'last element dropped', proof: proof.slice(0, -1) });
  for (let i = 0; i <= proof.length; i++) {
    cases.push({ ...v, what: `element inserted at ${i}`, proof: proof.toSpliced(i, 0, other) });
  }
  proof.forEach((hash, i) => {
    for (let bit = 0; bit < 256; bit++) {
      cases.push({
        ...v,
        what: `bit ${bit} of element ${i}`,
        proof: proof.with(i, flipBit(hash, bit)),
      });
    }
    cases.push({ ...v, what: `element ${i} truncated`, proof: proof.with(i, hash.subarray(1)) });
  });
  return cases;
}

describe('verifyInclusion', () => {
  it('accepts the published proofs of the eight-leaf tree', () => {
    for (const v of vectors.tree8.inclusion) {
      const result = verifyInclusion(
        leaf(v.index),
        v.index,
        v.size,
        v.proof.map(fromHex),
        rootOf(v.size),
      );
      expect(result, `index ${v.index} size ${v.size}`).toEqual({ ok: true });
    }
  });

  it('rejects every listed mutation of the published proofs', () => {
    for (const v of vectors.tree8.inclusion) {
      const base = {
        leaf: leaf(v.index),
        index: v.index,
        size: v.size,
        proof: v.proof.map(fromHex),
        root: rootOf(v.size),
      };
      for (const m of mutations(base)) {
        const result = verifyInclusion(m.leaf, m.index, m.size, m.proof, m.root);
        expect(result.ok, `${m.what} (index ${v.index}, size ${v.size})`).toBe(false);
      }
    }
  });

  it('names why it rejected', () => {
    const proof = vectors.tree8.inclusion[1]?.proof.map(fromHex) ?? [];
    expect(verifyInclusion(leaf(0), 8, 8, proof, rootOf(8))).toMatchObject({
      code: 'invalid-input',
    });
    expect(verifyInclusion(leaf(0), 0, 8, proof.slice(1), rootOf(8))).toMatchObject({
      code: 'wrong-proof-length',
    });
    expect(verifyInclusion(leaf(1), 0, 8, proof, rootOf(8))).toMatchObject({
      code: 'root-mismatch',
    });
    // Untyped callers (parsed JSON) must get a failure, not an exception.
    const junk = [null, 'a', 7, [1, 2]] as unknown as Uint8Array[];
    expect(verifyInclusion(leaf(0), 0, 8, junk, rootOf(8))).toMatchObject({
      code: 'invalid-input',
    });
    expect(verifyInclusion(leaf(0), 0, 8, 'x' as unknown as Uint8Array[], rootOf(8)).ok).toBe(
      false,
    );
    expect(verifyInclusion(leaf(0), 0, 2 ** 53, proof, rootOf(8))).toMatchObject({
      code: 'invalid-input',
    });
  });

  it('accepts the stored-node proof of every leaf in every tree up to 300', () => {
    const tree = buildTree(300);
    for (let size = 1; size <= 300; size++) {
      const root = frontierRoot(tree.frontiers[size] ?? { size: 0, hashes: [] });
      const { getNode } = tree.nodesAt(size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, getNode);
        const result = verifyInclusion(
          tree.leafHashes[index] ?? EMPTY_ROOT,
          index,
          size,
          proof,
          root,
        );
        if (!result.ok) expect.fail(`index ${index} size ${size}: ${result.reason}`);
      }
    }
  });

  describe('rejects any tampering (property)', () => {
    const tree = buildTree(300);
    const rootAtSize = (size: number) =>
      frontierRoot(tree.frontiers[size] ?? { size: 0, hashes: [] });
    const proofs = fc
      .integer({ min: 1, max: 300 })
      .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)))
      .map(([size, index]) => ({
        size,
        index,
        leaf: tree.leafHashes[index] ?? EMPTY_ROOT,
        proof: inclusionProof(index, size, tree.nodesAt(size).getNode),
        root: rootAtSize(size),
      }));

    it('flipping any bit of any proof hash', () => {
      fc.assert(
        fc.property(proofs, fc.nat(), fc.nat(255), (p, which, bit) => {
          fc.pre(p.proof.length > 0);
          const i = which % p.proof.length;
          const proof = p.proof.with(i, flipBit(p.proof[i] ?? EMPTY_ROOT, bit));
          expect(verifyInclusion(p.leaf, p.index, p.size, proof, p.root).ok).toBe(false);
        }),
      );
    });

    it('flipping any bit of the leaf or the root', () => {
      fc.assert(
        fc.property(proofs, fc.nat(255), (p, bit) => {
          expect(verifyInclusion(flipBit(p.leaf, bit), p.index, p.size, p.proof, p.root).ok).toBe(
            false,
          );
          expect(verifyInclusion(p.leaf, p.index, p.size, p.proof, flipBit(p.root, bit)).ok).toBe(
            false,
          );
        }),
      );
    });

    it('claiming another index', () => {
      fc.assert(
        fc.property(proofs, fc.integer({ min: -2, max: 600 }), (p, index) => {
          fc.pre(index !== p.index);
          expect(verifyInclusion(p.leaf, index, p.size, p.proof, p.root).ok).toBe(false);
        }),
      );
    });

    // A size is bound to a root only by the checkpoint that signs both, so the changed
    // size is checked against the root of that size (what a verifier would hold).
    it('claiming another size', () => {
      fc.assert(
        fc.property(proofs, fc.integer({ min: 0, max: 300 }), (p, size) => {
          fc.pre(size !== p.size);
          expect(verifyInclusion(p.leaf, p.index, size, p.proof, rootAtSize(size)).ok).toBe(false);
        }),
      );
    });
  });
});
