import { describe, expect, it } from 'vitest';
import { buildTree, hex, tree8LeafHashes, vectors } from './fixtures/test-tree.js';
import type { Frontier } from './frontier.js';
import { EMPTY_FRONTIER, appendLeaf, appendLeaves, frontierAt, frontierRoot } from './frontier.js';
import { merkleRoot } from './reference-tree.js';

describe('frontier', () => {
  it('reproduces the published roots of the eight-leaf tree at every size', () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    const roots = [hex(frontierRoot(frontier))];
    for (const hash of tree8LeafHashes) {
      frontier = appendLeaf(frontier, hash).frontier;
      roots.push(hex(frontierRoot(frontier)));
    }
    expect(roots).toEqual(Object.values(vectors.tree8.roots_by_size));
    expect(roots[8]).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('emits the leaf and then each node it completes, bottom up', () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    for (const hash of tree8LeafHashes.slice(0, 7)) frontier = appendLeaf(frontier, hash).frontier;
    const { newNodes } = appendLeaf(frontier, tree8LeafHashes[7] ?? new Uint8Array(32));
    expect(newNodes.map((n) => [n.level, n.index])).toEqual([
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ]);
    expect(hex(newNodes[3]?.hash ?? new Uint8Array())).toBe(vectors.tree8.roots_by_size['8']);
  });

  it('emits every complete node exactly once, so a store can answer any getNode', () => {
    const size = 257;
    const tree = buildTree(size); // throws if a node is emitted twice
    let stored = 0;
    let frontier: Frontier = EMPTY_FRONTIER;
    for (const hash of tree.leafHashes) {
      const step = appendLeaf(frontier, hash);
      stored += step.newNodes.length;
      frontier = step.frontier;
    }
    let complete = 0;
    for (let level = 0; 2 ** level <= size; level++) complete += Math.floor(size / 2 ** level);
    expect(stored).toBe(complete);
  });

  it('keeps one hash per set bit of the size and matches the reference root', () => {
    const tree = buildTree(300);
    tree.frontiers.forEach((frontier, size) => {
      expect(frontier.size).toBe(size);
      expect(frontier.hashes.length).toBe(size.toString(2).replaceAll('0', '').length);
      expect(hex(frontierRoot(frontier))).toBe(hex(merkleRoot(tree.leafHashes.slice(0, size))));
    });
  });

  it('is rebuilt from stored nodes after a restart', () => {
    const tree = buildTree(300);
    for (const size of [0, 1, 2, 3, 64, 255, 256, 300]) {
      const rebuilt = frontierAt(size, tree.nodesAt(size).getNode);
      expect(rebuilt.hashes.map(hex)).toEqual(tree.frontiers[size]?.hashes.map(hex));
    }
  });

  it('leaves the previous frontier untouched', () => {
    const one = appendLeaf(EMPTY_FRONTIER, tree8LeafHashes[0] ?? new Uint8Array(32)).frontier;
    const before = one.hashes.map(hex);
    appendLeaf(one, tree8LeafHashes[1] ?? new Uint8Array(32));
    expect(one.hashes.map(hex)).toEqual(before);
    expect(one.size).toBe(1);
  });

  it('refuses a leaf hash of the wrong length', () => {
    expect(() => appendLeaf(EMPTY_FRONTIER, new Uint8Array(31))).toThrow(RangeError);
    expect(() => appendLeaves(EMPTY_FRONTIER, [new Uint8Array(31)])).toThrow(RangeError);
  });

  it('appends many leaves to the frontier appendLeaf reaches one by one, from any size', () => {
    const tree = buildTree(300);
    for (const [from, to] of [
      [0, 0],
      [0, 1],
      [0, 300],
      [1, 2],
      [7, 8],
      [63, 200],
      [255, 300],
    ] as const) {
      const start = tree.frontiers[from] ?? EMPTY_FRONTIER;
      const reached = appendLeaves(start, tree.leafHashes.slice(from, to));
      expect(reached.size).toBe(to);
      expect(reached.hashes.map(hex)).toEqual(tree.frontiers[to]?.hashes.map(hex));
      expect(start.size).toBe(from);
    }
  });
});
