import { runHash } from './_tile-hash.js';
import { HASH_SIZE } from './hashes.js';
import { TILE_WIDTH, edgeTiles, type Tile } from './tile-math.js';

/** What an append of leaf hashes does to a tree stored as tiles. */
export interface TileIntegration {
  /** The tree size after the append. */
  readonly size: number;
  /**
   * The tiles to write, by tile-level then index: each full tile the append completed and
   * each partial tile it changed. A tile replaces any stored under its level and index.
   */
  readonly tiles: readonly Tile[];
  /** The partial tiles of the new tree (edgeTiles(size)): the next append's input. */
  readonly edge: readonly Tile[];
}

const FULL_BYTES = TILE_WIDTH * HASH_SIZE;

/** The rightmost tile of one tile-level while leaves are added. */
interface Level {
  index: number;
  /** Its hashes before the append: the stored partial tile, read only. */
  stored: Tile | null;
  /** Its hashes once it has changed, in a buffer of a full tile's size. */
  written: Uint8Array | null;
  width: number;
}

/**
 * Appends leaf hashes to the tree of `size` leaves stored as tiles, given its partial tiles
 * `edge` (exactly the tiles edgeTiles(size) names, as stored: the caller reads them first,
 * or keeps the previous append's `edge`). Returns the tiles to write and the new edge. Each
 * leaf costs about one hash, for the tiles it completes; a tree node above a partial tile
 * is not hashed until a proof or a root needs it.
 *
 * Throws a RangeError for a leaf hash that is not 32 bytes, and an Error when `edge` is not
 * the edge of a tree of `size` leaves (a broken store).
 *
 * @example
 * const { tiles, edge } = integrateTiles(size, await readTiles(edgeTiles(size)), leafHashes);
 */
export function integrateTiles(
  size: number,
  edge: readonly Tile[],
  leafHashes: readonly Uint8Array[],
): TileIntegration {
  const levels = openLevels(size, edge);
  const completed: Tile[][] = [];

  const add = (tileLevel: number, hash: Uint8Array): void => {
    const level = levelAt(levels, tileLevel, size);
    if (level.written === null) {
      level.written = new Uint8Array(FULL_BYTES);
      if (level.stored !== null) level.written.set(level.stored.hashes);
    }
    level.written.set(hash, level.width * HASH_SIZE);
    level.width += 1;
    if (level.width < TILE_WIDTH) return;
    const full: Tile = { level: tileLevel, index: level.index, hashes: level.written };
    (completed[tileLevel] ??= []).push(full);
    level.index += 1;
    level.stored = null;
    level.written = null;
    level.width = 0;
    add(tileLevel + 1, runHash(full.hashes, 0, TILE_WIDTH));
  };

  for (const [i, leafHash] of leafHashes.entries()) {
    if (leafHash.length !== HASH_SIZE) {
      throw new RangeError(`leaf hash ${i} is ${leafHash.length} bytes, not ${HASH_SIZE}`);
    }
    add(0, leafHash);
  }

  const tiles: Tile[] = [];
  const newEdge: Tile[] = [];
  levels.forEach((level, tileLevel) => {
    tiles.push(...(completed[tileLevel] ?? []));
    if (level.width === 0) return;
    if (level.written === null) {
      if (level.stored !== null) newEdge.push(level.stored);
      return;
    }
    const partial: Tile = {
      level: tileLevel,
      index: level.index,
      hashes: level.written.slice(0, level.width * HASH_SIZE),
    };
    tiles.push(partial);
    newEdge.push(partial);
  });
  return { size: size + leafHashes.length, tiles, edge: newEdge };
}

/** The levels of the tree of `size` leaves, from its edge tiles, checked against the size. */
function openLevels(size: number, edge: readonly Tile[]): Level[] {
  const expected = edgeTiles(size);
  const byLevel = new Map<number, Tile>();
  for (const tile of edge) {
    if (byLevel.has(tile.level)) {
      throw new Error(`two partial tiles at tile-level ${tile.level} of a tree of size ${size}`);
    }
    byLevel.set(tile.level, tile);
  }
  const levels: Level[] = [];
  for (const want of expected) {
    const tile = byLevel.get(want.level);
    byLevel.delete(want.level);
    const name = `tile ${want.level}/${want.index}`;
    if (tile === undefined || tile.index !== want.index) {
      const given = tile === undefined ? 'none' : `tile ${tile.level}/${tile.index}`;
      throw new Error(`${name} is partial in a tree of size ${size}; given ${given}`);
    }
    if (tile.hashes.length !== want.width * HASH_SIZE) {
      throw new Error(
        `${name} is ${tile.hashes.length} bytes; in a tree of size ${size} it holds ` +
          `${want.width} hashes (${want.width * HASH_SIZE} bytes)`,
      );
    }
    levels[want.level] = { index: want.index, stored: tile, written: null, width: want.width };
  }
  const [extra] = byLevel.values();
  if (extra !== undefined) {
    throw new Error(
      `tile ${extra.level}/${extra.index} is not a partial tile of a tree of size ${size}`,
    );
  }
  return levels;
}

/** The level's state, made on first use for a tile-level whose rightmost tile is full or new. */
function levelAt(levels: Level[], tileLevel: number, size: number): Level {
  const existing = levels[tileLevel];
  if (existing !== undefined) return existing;
  // Hashes of tree level 8·tileLevel before the append: a whole number of full tiles.
  const held = Math.floor(size / TILE_WIDTH ** tileLevel);
  const level: Level = { index: held / TILE_WIDTH, stored: null, written: null, width: 0 };
  levels[tileLevel] = level;
  return level;
}
