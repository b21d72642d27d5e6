import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, hex } from './fixtures/test-tree.js';
import { inBatches, tileStore } from './fixtures/tile-store.js';
import { EMPTY_FRONTIER, appendLeaves, frontierRoot } from './frontier.js';
import { EMPTY_ROOT, leafHash } from './hashes.js';
import { integrateTiles } from './integrate-tiles.js';
import { rootAt } from './subtree-hash.js';
import { treeTiles, type Tile } from './tile-math.js';
import type { NodeRef } from './tree-math.js';

/** Every complete node of the tree of `size` leaves, leaves included. */
function completeNodes(size: number): NodeRef[] {
  const refs: NodeRef[] = [];
  for (let level = 0; 2 ** level <= size; level++) {
    for (let index = 0; (index + 1) * 2 ** level <= size; index++) refs.push({ level, index });
  }
  return refs;
}

// Tiles as text: the test matchers compare typed arrays element by element, far too slowly.
function dump(tiles: Iterable<Tile>): string[] {
  return [...tiles].map((t) => `${t.level}/${t.index}:${hex(t.hashes)}`);
}

function dumpStored(tiles: ReadonlyMap<string, Uint8Array>): string[] {
  return [...tiles].map(([key, hashes]) => `${key}:${hex(hashes)}`).sort();
}

const MAX = 3000;
const reference = buildTree(MAX);
const referenceNodes = reference.nodesAt(MAX).getNode;

const sizes = fc.oneof(
  fc.integer({ min: 0, max: MAX }),
  fc.constantFrom(0, 1, 255, 256, 257, 511, 512, 513, 2047, 2048, 2049),
);
const batchLengths = fc.array(
  fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 250, max: 1200 })),
  { minLength: 1, maxLength: 8 },
);

describe('integrateTiles', () => {
  it('stores exactly the nodes appendLeaf completes, in any batches', () => {
    fc.assert(
      fc.property(sizes, batchLengths, (size, lengths) => {
        const store = tileStore();
        for (const batch of inBatches(reference.leafHashes.slice(0, size), lengths)) {
          store.append(batch);
          // The tree after each append, by its root: the edge tiles alone give it.
          const root = rootAt(store.size, store.getNode);
          expect(hex(root)).toBe(
            hex(frontierRoot(reference.frontiers[store.size] ?? EMPTY_FRONTIER)),
          );
        }
        expect(store.size).toBe(size);
        // The tiles stored are those of the tree, full and partial, each with its width...
        const stored = [...store.tiles].map(([key, bytes]) => `${key}:${bytes.length / 32}`);
        expect(stored.sort()).toEqual(
          treeTiles(size)
            .map((t) => `${t.level}/${t.index}:${t.width}`)
            .sort(),
        );
        // ...and they give every complete node, as appendLeaf made it.
        const refs = completeNodes(size);
        const fromTiles = store.nodes(refs);
        refs.forEach((ref, i) => {
          const expected = hex(referenceNodes(ref.level, ref.index));
          if (hex(fromTiles[i] ?? new Uint8Array()) !== expected) {
            expect.fail(`node (${ref.level}, ${ref.index}) differs at size ${size}`);
          }
        });
      }),
      { numRuns: 40 },
    );
  });

  it('returns the edge it leaves, so the next append need not read it back', () => {
    fc.assert(
      fc.property(sizes, batchLengths, (size, lengths) => {
        const store = tileStore();
        let edge: readonly Tile[] = [];
        let at = 0;
        for (const batch of inBatches(reference.leafHashes.slice(0, size), lengths)) {
          const kept = integrateTiles(at, edge, batch);
          const read = store.append(batch);
          expect(kept.size).toBe(read.size);
          expect(dump(kept.tiles)).toEqual(dump(read.tiles));
          expect(dump(kept.edge)).toEqual(dump(read.edge));
          expect(dump(read.edge)).toEqual(dump(store.read(read.edge)));
          edge = kept.edge;
          at = kept.size;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('writes one tile for a leaf that completes no tile, and never changes the tiles given', () => {
    const store = tileStore();
    store.append(reference.leafHashes.slice(0, 300));
    const before = store.read([{ level: 0, index: 1 }])[0] as Tile;
    const copy = Uint8Array.from(before.hashes);
    const step = store.append([reference.leafHashes[300] as Uint8Array]);
    expect(step.tiles.map((t) => [t.level, t.index, t.hashes.length / 32])).toEqual([[0, 1, 45]]);
    expect(hex(before.hashes)).toBe(hex(copy));
    // The tile-level above is part of the edge, unchanged and not written.
    expect(step.edge.map((t) => [t.level, t.index, t.hashes.length / 32])).toEqual([
      [0, 1, 45],
      [1, 0, 1],
    ]);
  });

  it('appends nothing as nothing', () => {
    const store = tileStore();
    store.append(reference.leafHashes.slice(0, 257));
    const edge = store.read([
      { level: 0, index: 1 },
      { level: 1, index: 0 },
    ]);
    const unchanged = integrateTiles(257, edge, []);
    expect(unchanged.size).toBe(257);
    expect(unchanged.tiles).toEqual([]);
    expect(unchanged.edge).toHaveLength(2);
    unchanged.edge.forEach((tile, i) => expect(tile).toBe(edge[i]));
    expect(integrateTiles(0, [], [])).toEqual({ size: 0, tiles: [], edge: [] });
  });

  it('handles the tile boundaries of a tree of 65,536 leaves', () => {
    const n = 65_537;
    const leafHashes = Array.from({ length: n }, (_, i) =>
      leafHash(new TextEncoder().encode(`leaf ${i}`)),
    );
    const rootOf = (size: number) =>
      hex(frontierRoot(appendLeaves(EMPTY_FRONTIER, leafHashes.slice(0, size))));
    const shape = (tiles: readonly Tile[]) =>
      tiles.map((t) => `${t.level}/${t.index}:${t.hashes.length / 32}`);

    const store = tileStore();
    expect(shape(store.append(leafHashes.slice(0, 65_534)).edge)).toEqual(['0/255:254', '1/0:255']);
    const steps = [65_534, 65_535, 65_536].map((i) => store.append([leafHashes[i] as Uint8Array]));
    // 65,535: the last level-0 tile grows; 65,536: it fills, fills the level-1 tile, whose
    // root starts tile-level 2; 65,537: a new level-0 tile.
    expect(steps.map((s) => shape(s.tiles))).toEqual([
      ['0/255:255'],
      ['0/255:256', '1/0:256', '2/0:1'],
      ['0/256:1'],
    ]);
    expect(shape(steps[2]?.edge ?? [])).toEqual(['0/256:1', '2/0:1']);
    for (const size of [65_535, 65_536, 65_537]) {
      expect(hex(rootAt(size, store.getNode)), `root at ${size}`).toBe(rootOf(size));
    }
    // The root of 65,536 leaves is the one hash of tile 2/0.
    expect(hex(store.tiles.get('2/0') ?? new Uint8Array())).toBe(rootOf(65_536));

    // The same tree in one append, and in batches crossing the boundaries, stores the same.
    for (const lengths of [[n], [1000], [65_535, 1, 1], [255, 1, 40_000]]) {
      const other = tileStore();
      for (const batch of inBatches(leafHashes, lengths)) other.append(batch);
      expect(dumpStored(other.tiles), `batches of ${lengths.join(', ')}`).toEqual(
        dumpStored(store.tiles),
      );
    }

    // Every node above the leaves matches appendLeaf's (the leaves are the tiles themselves).
    const appended = buildTree(n).nodesAt(n).getNode;
    const refs = completeNodes(n).filter((ref) => ref.level > 0);
    const fromTiles = store.nodes(refs);
    const wrong = refs.filter(
      (ref, i) => hex(fromTiles[i] ?? EMPTY_ROOT) !== hex(appended(ref.level, ref.index)),
    );
    expect(wrong).toEqual([]);
  });

  it('refuses an edge that is not the one of the tree size', () => {
    const store = tileStore();
    store.append(reference.leafHashes.slice(0, 300));
    const [low, high] = store.read([
      { level: 0, index: 1 },
      { level: 1, index: 0 },
    ]) as [Tile, Tile];
    const leaf = [reference.leafHashes[300] as Uint8Array];
    const refused: [readonly Tile[], RegExp][] = [
      [[high], /tile 0\/1 is partial in a tree of size 300; given none/],
      [[{ ...low, index: 0 }, high], /tile 0\/1 is partial .*; given tile 0\/0/],
      [
        [{ ...low, hashes: low.hashes.subarray(32) }, high],
        /tile 0\/1 is 1376 bytes; .* 44 hashes/,
      ],
      [[low, high, { level: 2, index: 0, hashes: low.hashes }], /tile 2\/0 is not a partial tile/],
      [[low, low, high], /two partial tiles at tile-level 0/],
    ];
    for (const [edge, message] of refused) {
      expect(() => integrateTiles(300, edge, leaf)).toThrow(message);
    }
    expect(() => integrateTiles(300, [low, high], [new Uint8Array(31)])).toThrow(
      /leaf hash 0 is 31 bytes/,
    );
  });
});

interface TesseraVectors {
  readonly entries: readonly string[];
  readonly tile_0_000_p_15_hex: string;
  readonly sha256_of_tile_0_000_p_by_width: Readonly<Record<string, string>>;
  readonly root_hex_by_size: Readonly<Record<string, string>>;
}

describe('integrateTiles against the tiles Tessera wrote', () => {
  // A log of 15 entries built by Tessera one entry per append (see the fixture's source):
  // its level-0 tile at every width, and the root of each checkpoint.
  const vectors = JSON.parse(
    readFileSync(new URL('./fixtures/tessera-tiles.json', import.meta.url), 'utf8'),
  ) as TesseraVectors;
  const leafHashes = vectors.entries.map((e) => leafHash(new TextEncoder().encode(e)));
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  it('writes the same tile bytes and roots, one entry at a time', () => {
    const store = tileStore();
    expect(hex(rootAt(0, store.getNode))).toBe(vectors.root_hex_by_size['0']);
    for (const [i, hash] of leafHashes.entries()) {
      const step = store.append([hash]);
      const width = String(i + 1);
      expect(step.tiles).toHaveLength(1);
      expect(sha256(step.tiles[0]?.hashes ?? new Uint8Array()), `tile 0/000.p/${width}`).toBe(
        vectors.sha256_of_tile_0_000_p_by_width[width],
      );
      expect(hex(rootAt(i + 1, store.getNode)), `root at ${width}`).toBe(
        vectors.root_hex_by_size[width],
      );
    }
  });

  it('writes the same tile in one append', () => {
    const [tile] = integrateTiles(0, [], leafHashes).tiles;
    expect(hex(tile?.hashes ?? new Uint8Array())).toBe(vectors.tile_0_000_p_15_hex);
  });
});
