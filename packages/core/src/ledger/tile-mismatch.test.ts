import { describe, expect, it } from 'vitest';
import { buildTree, flipBit } from './fixtures/test-tree.js';
import { inBatches, tileStore } from './fixtures/tile-store.js';
import { integrateTiles } from './integrate-tiles.js';
import type { Tile } from './tile-math.js';
import { tileMismatch, type TileMismatch } from './tile-mismatch.js';

const SIZE = 2000;
const { leafHashes } = buildTree(SIZE);

function storedTree(): Map<string, Uint8Array> {
  const store = tileStore();
  store.append(leafHashes);
  return store.tiles;
}

/**
 * What a verifier does: rebuild the tiles from the leaf hashes, a page at a time, and compare
 * each tile it completes or extends with the stored one. A stored tile may run beyond a
 * rebuilt one before the end (the rebuilt one is an earlier state of it), not at the end.
 */
function audit(stored: ReadonlyMap<string, Uint8Array>, pageLength: number): TileMismatch | null {
  let size = 0;
  let edge: readonly Tile[] = [];
  for (const page of inBatches(leafHashes, [pageLength])) {
    const step = integrateTiles(size, edge, page);
    ({ size, edge } = step);
    const atEnd = size === leafHashes.length;
    for (const tile of atEnd ? [...step.tiles, ...step.edge] : step.tiles) {
      const problem = tileMismatch(
        tile,
        stored.get(`${tile.level}/${tile.index}`) ?? new Uint8Array(),
      );
      if (problem && (atEnd || problem.kind !== 'extra')) return problem;
    }
  }
  return null;
}

describe('tileMismatch', () => {
  it('finds nothing in tiles stored as the leaves make them', () => {
    for (const page of [1, 100, 256, 1000, SIZE]) expect(audit(storedTree(), page)).toBeNull();
  });

  it('names the first node of a stored tile that differs, whatever its tile-level', () => {
    const cases: [string, number, TileMismatch][] = [
      // Hash 3 of tile 1/0 is the node of level 8 over leaves 768–1023.
      ['1/0', 3, { kind: 'differs', tile: { level: 1, index: 0 }, node: { level: 8, index: 3 } }],
      [
        '0/5',
        220,
        { kind: 'differs', tile: { level: 0, index: 5 }, node: { level: 0, index: 1500 } },
      ],
      [
        '0/7',
        207,
        { kind: 'differs', tile: { level: 0, index: 7 }, node: { level: 0, index: 1999 } },
      ],
    ];
    for (const [key, position, expected] of cases) {
      const stored = storedTree();
      stored.set(key, flipBit(stored.get(key) ?? new Uint8Array(), position * 256 + 17));
      for (const page of [1, 300, SIZE])
        expect(audit(stored, page), `${key} page ${page}`).toEqual(expected);
    }
  });

  it('tells a stored tile cut short from one that runs beyond the tree', () => {
    const stored = storedTree();
    const edge = stored.get('0/7') ?? new Uint8Array();
    expect(edge.length / 32).toBe(208);
    stored.set('0/7', edge.subarray(0, 207 * 32));
    expect(audit(stored, 500)).toEqual({
      kind: 'missing',
      tile: { level: 0, index: 7 },
      node: { level: 0, index: 1999 },
    });
    stored.set('0/7', new Uint8Array([...edge, ...new Uint8Array(32)]));
    expect(audit(stored, 500)).toEqual({
      kind: 'extra',
      tile: { level: 0, index: 7 },
      node: { level: 0, index: 2000 },
    });
    stored.delete('1/0');
    expect(audit(stored, 500)).toEqual({
      kind: 'missing',
      tile: { level: 1, index: 0 },
      node: { level: 8, index: 0 },
    });
  });

  it('counts a hash cut in the middle as one that differs', () => {
    const [tile] = integrateTiles(0, [], leafHashes.slice(0, 3)).tiles as [Tile];
    expect(tileMismatch(tile, tile.hashes)).toBeNull();
    expect(tileMismatch(tile, tile.hashes.subarray(0, 80))).toEqual({
      kind: 'differs',
      tile: { level: 0, index: 0 },
      node: { level: 0, index: 2 },
    });
    expect(tileMismatch(tile, new Uint8Array([...tile.hashes, 0]))).toEqual({
      kind: 'extra',
      tile: { level: 0, index: 0 },
      node: { level: 0, index: 3 },
    });
  });
});
