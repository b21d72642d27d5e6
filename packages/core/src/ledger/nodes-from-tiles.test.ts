import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyProof } from './consistency-proof.js';
import { buildTree, hex } from './fixtures/test-tree.js';
import { tileStore } from './fixtures/tile-store.js';
import { frontierAt } from './frontier.js';
import { inclusionProof } from './inclusion-proof.js';
import { nodesFromTiles } from './nodes-from-tiles.js';
import {
  merkleRoot,
  referenceConsistencyProof,
  referenceInclusionProof,
} from './reference-tree.js';
import type { GetNode } from './subtree-hash.js';
import { rootAt } from './subtree-hash.js';
import { tilesForNodes, type Tile } from './tile-math.js';
import { consistencyNodes, inclusionNodes, subtreeNodes, type NodeRef } from './tree-math.js';
import { verifyConsistency } from './verify-consistency.js';
import { verifyInclusion } from './verify-inclusion.js';

const MAX = 2100;
const tree = buildTree(MAX);
// The store holds the tree of MAX leaves; proofs ask about any size up to it, as a log's
// proofs for older checkpoints do.
const store = tileStore();
store.append(tree.leafHashes);

/** What a proof service does: plan the nodes, read their tiles at once, compute. */
function fetched(refs: readonly NodeRef[]): GetNode {
  const tiles = store.read(tilesForNodes(refs));
  const hashes = nodesFromTiles(refs, tiles);
  const byRef = new Map(refs.map((ref, i) => [`${ref.level}/${ref.index}`, hashes[i]]));
  return (level, index) => {
    const hash = byRef.get(`${level}/${index}`);
    if (hash === undefined) throw new Error(`node (${level}, ${index}) was not planned`);
    return hash;
  };
}

const sizeAndIndex = fc
  .oneof(fc.integer({ min: 1, max: MAX }), fc.constantFrom(1, 255, 256, 257, 2048, MAX))
  .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));

describe('nodesFromTiles', () => {
  it('gives inclusion proofs that verify and equal the RFC reference', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([size, index]) => {
        const proof = inclusionProof(index, size, fetched(inclusionNodes(index, size)));
        const leaves = tree.leafHashes.slice(0, size);
        expect(proof.map(hex)).toEqual(referenceInclusionProof(leaves, index).map(hex));
        const leaf = leaves[index] as Uint8Array;
        expect(verifyInclusion(leaf, index, size, proof, merkleRoot(leaves))).toEqual({ ok: true });
      }),
      { numRuns: 150 },
    );
  });

  it('gives consistency proofs that verify and equal the RFC reference', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([size2, below]) => {
        const size1 = below + 1;
        const proof = consistencyProof(size1, size2, fetched(consistencyNodes(size1, size2)));
        const leaves = tree.leafHashes.slice(0, size2);
        expect(proof.map(hex)).toEqual(referenceConsistencyProof(leaves, size1).map(hex));
        const root1 = merkleRoot(leaves.slice(0, size1));
        expect(verifyConsistency(size1, size2, proof, root1, merkleRoot(leaves))).toEqual({
          ok: true,
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the frontier and root of any earlier size', () => {
    for (const size of [0, 1, 255, 256, 257, 1000, 2047, 2048, 2049, MAX]) {
      const getNode = fetched(subtreeNodes(0, size));
      expect(frontierAt(size, getNode).hashes.map(hex)).toEqual(
        tree.frontiers[size]?.hashes.map(hex),
      );
      expect(hex(rootAt(size, getNode))).toBe(hex(merkleRoot(tree.leafHashes.slice(0, size))));
    }
  });

  it('reads a run of leaf hashes as slices of level-0 tiles, hashing nothing', () => {
    const refs = Array.from({ length: 1000 }, (_, i) => ({ level: 0, index: 700 + i }));
    const tiles = store.read(tilesForNodes(refs));
    expect(tiles.map((t) => t.index)).toEqual([2, 3, 4, 5, 6]);
    const hashes = nodesFromTiles(refs, tiles);
    expect(hashes.map(hex)).toEqual(tree.leafHashes.slice(700, 1700).map(hex));
    // Leaf 700 is hash 188 of tile 0/2, not a copy of it.
    expect(hashes[0]?.buffer).toBe(tiles[0]?.hashes.buffer);
    expect(hashes[0]?.byteOffset).toBe((tiles[0]?.hashes.byteOffset ?? 0) + 188 * 32);
  });

  it('answers a node asked for twice, as proofs of several leaves read together do', () => {
    const refs = [...inclusionNodes(5, MAX), ...inclusionNodes(9, MAX)];
    expect(refs.length).toBeGreaterThan(new Set(refs.map((r) => `${r.level}/${r.index}`)).size);
    const hashes = nodesFromTiles(refs, store.read(tilesForNodes(refs)));
    const { getNode } = tree.nodesAt(MAX);
    expect(hashes.map(hex)).toEqual(refs.map((r) => hex(getNode(r.level, r.index))));
  });

  it('uses the wider of two copies of a tile: a partial tile and the full one it became', () => {
    const [full] = store.read([{ level: 0, index: 0 }]) as [Tile];
    const partial = { ...full, hashes: full.hashes.slice(0, 32 * 10) };
    // Node (7, 1) is hashes 128–255 of tile 0/0, which the partial copy does not hold.
    const expected = hex(tree.nodesAt(MAX).getNode(7, 1));
    for (const tiles of [
      [partial, full],
      [full, partial],
    ]) {
      expect(hex(nodesFromTiles([{ level: 7, index: 1 }], tiles)[0] ?? new Uint8Array())).toBe(
        expected,
      );
    }
  });

  it('refuses to compute a node from a tile that is missing, too narrow or torn', () => {
    const [tile] = store.read([{ level: 0, index: 1 }]) as [Tile];
    const node = { level: 3, index: 40 }; // hashes 64–71 of tile 0/1
    expect(() => nodesFromTiles([node], [])).toThrow(
      'node (level 3, index 40) needs tile 0/1, not given',
    );
    expect(() =>
      nodesFromTiles([node], [{ ...tile, hashes: tile.hashes.slice(0, 32 * 71) }]),
    ).toThrow('node (level 3, index 40) needs hashes 64–71 of tile 0/1, which holds 71');
    expect(() => nodesFromTiles([node], [{ ...tile, hashes: tile.hashes.slice(0, 100) }])).toThrow(
      'tile 0/1 is 100 bytes, not a whole number of hashes',
    );
    expect(
      hex(
        nodesFromTiles([node], [{ ...tile, hashes: tile.hashes.slice(0, 32 * 72) }])[0] ??
          new Uint8Array(),
      ),
    ).toBe(hex(tree.nodesAt(MAX).getNode(3, 40)));
    expect(() => nodesFromTiles([{ level: -1, index: 0 }], [tile])).toThrow(RangeError);
  });
});
