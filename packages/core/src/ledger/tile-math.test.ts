import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  edgeTiles,
  locateNode,
  tileOfNode,
  tileWidth,
  tilesForNodes,
  treeTiles,
  type SizedTileRef,
} from './tile-math.js';
import { consistencyNodes, inclusionNodes, subtreeNodes } from './tree-math.js';

const tile = (level: number, index: number, width: number): SizedTileRef => ({
  level,
  index,
  width,
});

describe('tile geometry', () => {
  it('matches the example trees of c2sp.org/tlog-tiles', () => {
    // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level
    // 0 tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and
    // one partial level 2 tile of width 1."
    const tiles = treeTiles(70_000);
    const summary = (level: number) => {
      const at = tiles.filter((t) => t.level === level);
      return { full: at.filter((t) => t.width === 256).length, partial: at.at(-1)?.width };
    };
    expect(summary(0)).toEqual({ full: 273, partial: 112 });
    expect(summary(1)).toEqual({ full: 1, partial: 17 });
    expect(summary(2)).toEqual({ full: 0, partial: 1 });
    expect(tiles).toHaveLength(273 + 1 + 1 + 1 + 1);
    expect(edgeTiles(70_000)).toEqual([tile(0, 273, 112), tile(1, 1, 17), tile(2, 0, 1)]);
    // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1
    // tile of width 1."
    expect(treeTiles(256)).toEqual([tile(0, 0, 256), tile(1, 0, 1)]);
  });

  it('gives the edge tiles of the sizes around tile boundaries', () => {
    const cases: [number, SizedTileRef[]][] = [
      [0, []],
      [1, [tile(0, 0, 1)]],
      [255, [tile(0, 0, 255)]],
      [256, [tile(1, 0, 1)]],
      [257, [tile(0, 1, 1), tile(1, 0, 1)]],
      [65_535, [tile(0, 255, 255), tile(1, 0, 255)]],
      [65_536, [tile(2, 0, 1)]],
      [65_537, [tile(0, 256, 1), tile(2, 0, 1)]],
      [2 ** 53 - 1, [0, 1, 2, 3, 4, 5].map((l) => tile(l, 2 ** (45 - 8 * l) - 1, 255))],
    ];
    for (const [size, edge] of cases) {
      expect(edgeTiles(size).slice(0, edge.length), `size ${size}`).toEqual(edge);
    }
    expect(edgeTiles(2 ** 53 - 1).at(-1)).toEqual(tile(6, 0, 31));
    expect(treeTiles(65_537).filter((t) => t.level > 0)).toEqual([tile(1, 0, 256), tile(2, 0, 1)]);
  });

  it('describes every size in base 256: the widths of each tile-level add up to its hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), (size) => {
        let rebuilt = 0;
        for (const t of edgeTiles(size)) {
          expect(t.width).toBeGreaterThan(0);
          expect(t.width).toBeLessThan(256);
          expect(tileWidth(t, size)).toBe(t.width);
          expect(tileWidth({ level: t.level, index: t.index + 1 }, size)).toBe(0);
          expect(t.index).toBe(Math.floor(size / 256 ** (t.level + 1)));
          rebuilt += t.width * 256 ** t.level;
        }
        expect(rebuilt).toBe(size);
      }),
    );
  });

  it('lists each tile of a tree once, with the width tileWidth gives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (size) => {
        const tiles = treeTiles(size);
        for (const t of tiles) expect(tileWidth(t, size)).toBe(t.width);
        for (let level = 0; 256 ** level <= size; level++) {
          const widths = tiles.filter((t) => t.level === level).map((t) => t.width);
          expect(widths.reduce((a, b) => a + b, 0)).toBe(Math.floor(size / 256 ** level));
        }
        const partial = tiles.filter((t) => t.width < 256);
        expect(partial).toEqual(edgeTiles(size));
      }),
      { numRuns: 50 },
    );
  });

  it('places each complete node in a tile that holds all the hashes it is made of', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }).chain((size) =>
          fc.tuple(
            fc.constant(size),
            fc
              .integer({ min: 0, max: Math.floor(Math.log2(size)) })
              .chain((level) =>
                fc.tuple(
                  fc.constant(level),
                  fc.integer({ min: 0, max: Math.floor(size / 2 ** level) - 1 }),
                ),
              ),
          ),
        ),
        ([size, [level, index]]) => {
          const { tile: at, offset, count } = locateNode({ level, index });
          expect(at.level).toBe(Math.floor(level / 8));
          expect(count).toBe(2 ** (level % 8));
          // The node covers hashes [offset, offset + count) of its tile, which the tree has.
          expect(offset % count).toBe(0);
          expect(offset + count).toBeLessThanOrEqual(tileWidth(at, size));
          const first = (at.index * 256 + offset) * 256 ** at.level;
          expect(first).toBe(index * 2 ** level);
        },
      ),
    );
  });

  it('names the tile of a node, a leaf hash being one hash of a level-0 tile', () => {
    expect(tileOfNode({ level: 0, index: 0 })).toEqual({ level: 0, index: 0 });
    expect(tileOfNode({ level: 0, index: 256 })).toEqual({ level: 0, index: 1 });
    expect(locateNode({ level: 7, index: 3 })).toEqual({
      tile: { level: 0, index: 1 },
      offset: 128,
      count: 128,
    });
    expect(locateNode({ level: 8, index: 3 })).toEqual({
      tile: { level: 1, index: 0 },
      offset: 3,
      count: 1,
    });
    expect(locateNode({ level: 17, index: 1 })).toEqual({
      tile: { level: 2, index: 0 },
      offset: 2,
      count: 2,
    });
  });

  it('plans each tile once, in tile-level and index order', () => {
    const run = Array.from({ length: 1000 }, (_, i) => ({ level: 0, index: 100 + i }));
    expect(tilesForNodes(run)).toEqual([0, 1, 2, 3, 4].map((index) => ({ level: 0, index })));
    expect(
      tilesForNodes([
        { level: 9, index: 0 },
        { level: 3, index: 40 },
        { level: 0, index: 3 },
        { level: 8, index: 255 },
      ]),
    ).toEqual([
      { level: 0, index: 0 },
      { level: 0, index: 1 },
      { level: 1, index: 0 },
    ]);
    expect(tilesForNodes([])).toEqual([]);
  });

  it('reads at most two tiles per tile-level for a proof, and the partial tiles for a root', () => {
    const perLevel = (tiles: readonly { level: number }[]) =>
      Math.max(0, ...tiles.map((t) => tiles.filter((u) => u.level === t.level).length));
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 70_000 }), fc.integer({ min: 1, max: 2 ** 45 })),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (size, at) => {
          const index = Math.floor(at * size);
          expect(perLevel(tilesForNodes(inclusionNodes(index, size)))).toBeLessThanOrEqual(2);
          expect(perLevel(tilesForNodes(consistencyNodes(index + 1, size)))).toBeLessThanOrEqual(2);
          expect(tilesForNodes(subtreeNodes(0, size))).toEqual(
            edgeTiles(size).map(({ level, index: i }) => ({ level, index: i })),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses sizes and nodes that are not integers of a tree', () => {
    for (const size of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => edgeTiles(size)).toThrow(RangeError);
      expect(() => treeTiles(size)).toThrow(RangeError);
      expect(() => tileWidth({ level: 0, index: 0 }, size)).toThrow(RangeError);
    }
    expect(() => tileWidth({ level: -1, index: 0 }, 1)).toThrow(RangeError);
    for (const node of [
      { level: -1, index: 0 },
      { level: 0, index: 0.5 },
      { level: 60, index: 1 },
    ]) {
      expect(() => tileOfNode(node)).toThrow(RangeError);
      expect(() => tilesForNodes([node])).toThrow(RangeError);
    }
  });
});
