import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, flipBit, fromHex, vectors } from './fixtures/test-tree.js';
import { consistencyProof } from './consistency-proof.js';
import { frontierRoot } from './frontier.js';
import { EMPTY_ROOT, leafHash } from './hashes.js';
import { verifyConsistency } from './verify-consistency.js';

const rootOf = (size: number) => fromHex(vectors.tree8.roots_by_size[String(size)] ?? '');

interface Case {
  readonly what: string;
  readonly size1: number;
  readonly size2: number;
  readonly proof: readonly Uint8Array[];
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
}

/** Every mutation the shared vectors list for consistency proofs, applied to one proof. */
function mutations(v: Omit<Case, 'what'>): Case[] {
  const { proof } = v;
  const other = leafHash(Uint8Array.of(0xff));
  const cases: Case[] = [
    { ...v, what: 'size1 - 1', size1: v.size1 - 1 },
    { ...v, what: 'size1 + 1', size1: v.size1 + 1 },
    { ...v, what: 'size1 ^ 2', size1: v.size1 ^ 2 },
    { ...v, what: 'size2 * 2', size2: v.size2 * 2 },
    { ...v, what: 'size2 / 2', size2: Math.floor(v.size2 / 2) },
    { ...v, what: 'size1 = 0', size1: 0 },
    { ...v, what: 'size1 = 0 with the empty root', size1: 0, root1: EMPTY_ROOT },
    { ...v, what: 'wrong root1', root1: other },
    { ...v, what: 'wrong root2', root2: other },
    { ...v, what: 'element appended', proof: [...proof, other] },
    { ...v, what: 'element prepended', proof: [other, ...proof] },
    { ...v, what: 'short root1', root1: v.root1.subarray(1) },
  ];
  if (v.size1 !== v.size2) {
    cases.push({ ...v, what: 'roots swapped', root1: v.root2, root2: v.root1 });
    cases.push({ ...v, what: 'empty proof', proof: [] });
    cases.push({ ...v, what: 'last element dropped', proof: proof.slice(0, -1) });
  }
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
  });
  return cases;
}

describe('verifyConsistency', () => {
  it('accepts the published proofs of the eight-leaf tree', () => {
    for (const v of vectors.tree8.consistency) {
      const result = verifyConsistency(
        v.size1,
        v.size2,
        v.proof.map(fromHex),
        rootOf(v.size1),
        rootOf(v.size2),
      );
      expect(result, `${v.size1} -> ${v.size2}`).toEqual({ ok: true });
    }
  });

  it('rejects every listed mutation of the published proofs', () => {
    for (const v of vectors.tree8.consistency) {
      const base = {
        size1: v.size1,
        size2: v.size2,
        proof: v.proof.map(fromHex),
        root1: rootOf(v.size1),
        root2: rootOf(v.size2),
      };
      for (const m of mutations(base)) {
        const result = verifyConsistency(m.size1, m.size2, m.proof, m.root1, m.root2);
        expect(result.ok, `${m.what} (${v.size1} -> ${v.size2})`).toBe(false);
      }
    }
  });

  it('refuses a shrinking tree and a proof from the empty tree, and says so', () => {
    expect(verifyConsistency(8, 7, [], rootOf(8), rootOf(7))).toMatchObject({
      ok: false,
      code: 'invalid-input',
      reason: expect.stringContaining('shrank'),
    });
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toMatchObject({
      code: 'invalid-input',
      reason: expect.stringContaining('empty tree'),
    });
    expect(verifyConsistency(0, 8, [rootOf(8)], EMPTY_ROOT, rootOf(8)).ok).toBe(false);
    expect(verifyConsistency(8, 8, [], rootOf(8), rootOf(7))).toMatchObject({
      code: 'root-mismatch',
    });
    expect(verifyConsistency(8, 8, [rootOf(8)], rootOf(8), rootOf(8))).toMatchObject({
      code: 'wrong-proof-length',
    });
    expect(verifyConsistency(3, 8, null as unknown as Uint8Array[], rootOf(3), rootOf(8)).ok).toBe(
      false,
    );
  });

  it('accepts the stored-node proof between every pair of sizes up to 260', () => {
    const tree = buildTree(260);
    const roots = tree.frontiers.map(frontierRoot);
    for (let size2 = 1; size2 <= 260; size2++) {
      const { getNode } = tree.nodesAt(size2);
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = consistencyProof(size1, size2, getNode);
        const result = verifyConsistency(
          size1,
          size2,
          proof,
          roots[size1] ?? EMPTY_ROOT,
          roots[size2] ?? EMPTY_ROOT,
        );
        if (!result.ok) expect.fail(`${size1} -> ${size2}: ${result.reason}`);
      }
    }
  });

  describe('rejects any tampering (property)', () => {
    const tree = buildTree(300);
    const roots = tree.frontiers.map(frontierRoot);
    const rootAtSize = (size: number) => roots[size] ?? EMPTY_ROOT;
    const proofs = fc
      .integer({ min: 1, max: 300 })
      .chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2)))
      .map(([size1, size2]) => ({
        size1,
        size2,
        proof: consistencyProof(size1, size2, tree.nodesAt(size2).getNode),
        root1: rootAtSize(size1),
        root2: rootAtSize(size2),
      }));

    it('flipping any bit of any proof hash', () => {
      fc.assert(
        fc.property(proofs, fc.nat(), fc.nat(255), (p, which, bit) => {
          fc.pre(p.proof.length > 0);
          const i = which % p.proof.length;
          const proof = p.proof.with(i, flipBit(p.proof[i] ?? EMPTY_ROOT, bit));
          expect(verifyConsistency(p.size1, p.size2, proof, p.root1, p.root2).ok).toBe(false);
        }),
      );
    });

    it('flipping any bit of either root', () => {
      fc.assert(
        fc.property(proofs, fc.nat(255), (p, bit) => {
          const { size1, size2, proof, root1, root2 } = p;
          expect(verifyConsistency(size1, size2, proof, flipBit(root1, bit), root2).ok).toBe(false);
          expect(verifyConsistency(size1, size2, proof, root1, flipBit(root2, bit)).ok).toBe(false);
        }),
      );
    });

    // Sizes are bound to roots by the checkpoints that sign them, so a changed size is
    // checked against the root of that size.
    it('claiming other sizes', () => {
      fc.assert(
        fc.property(proofs, fc.nat(300), fc.nat(300), (p, a, b) => {
          fc.pre(a !== p.size1 || b !== p.size2);
          // Equal sizes with an empty proof and equal roots is a true statement at any size.
          fc.pre(!(a === b && a > 0 && p.proof.length === 0));
          expect(verifyConsistency(a, b, p.proof, rootAtSize(a), rootAtSize(b)).ok).toBe(false);
        }),
      );
    });

    it('claiming another first size with the same roots', () => {
      fc.assert(
        fc.property(proofs, fc.nat(300), (p, size1) => {
          fc.pre(size1 !== p.size1);
          expect(verifyConsistency(size1, p.size2, p.proof, p.root1, p.root2).ok).toBe(false);
        }),
      );
    });
  });
});
