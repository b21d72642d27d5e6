// The tree stored as tiles (C2SP tlog-tiles): index arithmetic only, so a store can plan
// which tiles to read or write before anything is hashed. Like tree-math, numbers and not
// bigints: sizes are safe integers, and dividing one by a power of two is exact.
import type { NodeRef } from './tree-math.js';

/** Tree levels a tile spans: the tile at tile-level L holds hashes of tree level 8L. */
export const TILE_HEIGHT = 8;

/** Hashes in a full tile, 2^TILE_HEIGHT. */
export const TILE_WIDTH = 256;

/**
 * The tile at tile-level `level` and index `index`: the hashes of the complete nodes of tree
 * level 8·level with node indices [256·index, 256·index + width). Nodes of the seven tree
 * levels above are not stored: they are hashed up from the tile's hashes.
 */
export interface TileRef {
  readonly level: number;
  readonly index: number;
}

/** A tile with its width in a given tree: 256 when full, 1 to 255 when partial. */
export interface SizedTileRef extends TileRef {
  readonly width: number;
}

/**
 * A tile's contents: its hashes concatenated, 32 bytes each, so its width is
 * `hashes.length / 32`. A partial tile only ever grows, its hashes never change, and the
 * full tile replaces it under the same level and index.
 */
export interface Tile extends TileRef {
  readonly hashes: Uint8Array;
}

/** Where a node's hash comes from: `count` (2^k) hashes of `tile` from position `offset`. */
export interface NodeInTile {
  readonly tile: TileRef;
  readonly offset: number;
  readonly count: number;
}

/**
 * The tile that holds (or hashes up to) the complete node `node`.
 *
 * @example tileOfNode({ level: 9, index: 3 }) // { level: 1, index: 0 }: hashes 6 and 7 of it
 */
export function tileOfNode(node: NodeRef): TileRef {
  return locateNode(node).tile;
}

/** {@link tileOfNode} with the hashes of the tile that make up the node. */
export function locateNode(node: NodeRef): NodeInTile {
  const { level, index } = node;
  if (!isSize(level) || !isSize(index) || !isSize(index * 2 ** level)) {
    throw new RangeError(`(level ${level}, index ${index}) is not a node of a tree`);
  }
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level - tileLevel * TILE_HEIGHT);
  const first = index * count;
  const tileIndex = Math.floor(first / TILE_WIDTH);
  return {
    tile: { level: tileLevel, index: tileIndex },
    offset: first - tileIndex * TILE_WIDTH,
    count,
  };
}

/** Hashes the tile holds in the tree of `size` leaves: 0 when it does not exist yet. */
export function tileWidth(tile: TileRef, size: number): number {
  checkTile(tile);
  const held = hashesAt(tile.level, checkedSize(size)) - tile.index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, held));
}

/**
 * Every tile of the tree of `size` leaves, tile-level by tile-level, left to right: the full
 * ones, then the partial one if the level has one. O(size / 256) refs.
 *
 * @example treeTiles(257) // 0/0 (256), 0/1 (1), 1/0 (1)
 */
export function treeTiles(size: number): SizedTileRef[] {
  const tiles: SizedTileRef[] = [];
  for (let level = 0, held = checkedSize(size); held > 0; level++, held = down(held)) {
    const full = down(held);
    for (let index = 0; index < full; index++) tiles.push({ level, index, width: TILE_WIDTH });
    const width = held % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: full, width });
  }
  return tiles;
}

/**
 * The partial tiles of the tree of `size` leaves, lowest tile-level first: at most one per
 * tile-level (size written in base 256 has a nonzero digit there). They are the only tiles an
 * append changes, and all it reads: its frontier is hashed up from them.
 *
 * @example edgeTiles(70_000) // 0/273 (112), 1/1 (17), 2/0 (1)
 */
export function edgeTiles(size: number): SizedTileRef[] {
  const tiles: SizedTileRef[] = [];
  for (let level = 0, held = checkedSize(size); held > 0; level++, held = down(held)) {
    const width = held % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: down(held), width });
  }
  return tiles;
}

/**
 * The tiles to read to compute these complete nodes (with nodesFromTiles), each once, by
 * tile-level then index: a run of leaf hashes maps to consecutive level-0 tiles.
 */
export function tilesForNodes(refs: readonly NodeRef[]): TileRef[] {
  const seen = new Map<string, TileRef>();
  let last: TileRef | undefined;
  for (const ref of refs) {
    const { tile } = locateNode(ref);
    if (last?.level === tile.level && last.index === tile.index) continue;
    last = tile;
    const key = `${tile.level}/${tile.index}`;
    if (!seen.has(key)) seen.set(key, tile);
  }
  return [...seen.values()].sort((a, b) => a.level - b.level || a.index - b.index);
}

/** Number of hashes tree level 8·level holds in a tree of `size` leaves. */
function hashesAt(level: number, size: number): number {
  let held = size;
  for (let l = 0; l < level && held > 0; l++) held = down(held);
  return held;
}

function down(held: number): number {
  return Math.floor(held / TILE_WIDTH);
}

function checkTile(tile: TileRef): void {
  if (!isSize(tile.level) || !isSize(tile.index)) {
    throw new RangeError(`(level ${tile.level}, index ${tile.index}) is not a tile`);
  }
}

function checkedSize(size: number): number {
  if (!isSize(size)) throw new RangeError(`${size} is not a tree size`);
  return size;
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
