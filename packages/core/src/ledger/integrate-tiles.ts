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
  const stored = edgeByLevel(size, edge);
  for (const [i, leafHash] of leafHashes.entries()) {
    if (leafHash.length !== HASH_SIZE) {
      throw new RangeError(`leaf hash ${i} is ${leafHash.length} bytes, not ${HASH_SIZE}`);
    }
  }
  const tiles: Tile[] = [];
  const newEdge: Tile[] = [];
  // Level by level: the hashes a tile-level receives are the roots of the tiles completed
  // on the level below, in order.
  let incoming = leafHashes;
  for (let level = 0; incoming.length > 0 || level < stored.length; level++) {
    const partial = stored[level];
    if (incoming.length === 0) {
      if (partial !== undefined) newEdge.push(partial);
      continue;
    }
    const roots: Uint8Array[] = [];
    let index = Math.floor(Math.floor(size / TILE_WIDTH ** level) / TILE_WIDTH);
    let prefix = partial?.hashes ?? NO_HASHES;
    let taken = 0;
    // Tiles are sized to what they end up holding: a full tile, or the new partial one.
    for (let room = TILE_WIDTH - prefix.length / HASH_SIZE; room <= incoming.length - taken;) {
      const hashes = filled(TILE_WIDTH, prefix, incoming, taken);
      tiles.push({ level, index, hashes });
      roots.push(runHash(hashes, 0, TILE_WIDTH));
      index += 1;
      taken += room;
      prefix = NO_HASHES;
      room = TILE_WIDTH;
    }
    if (taken < incoming.length) {
      const width = prefix.length / HASH_SIZE + incoming.length - taken;
      const tile: Tile = { level, index, hashes: filled(width, prefix, incoming, taken) };
      tiles.push(tile);
      newEdge.push(tile);
    }
    incoming = roots;
  }
  return { size: size + leafHashes.length, tiles, edge: newEdge };
}

const NO_HASHES = new Uint8Array(0);

/** A tile of `width` hashes: `prefix`, then hashes from `incoming[from]` on to fill it. */
function filled(
  width: number,
  prefix: Uint8Array,
  incoming: readonly Uint8Array[],
  from: number,
): Uint8Array {
  const hashes = new Uint8Array(width * HASH_SIZE);
  hashes.set(prefix);
  for (let at = prefix.length, i = from; at < hashes.length; at += HASH_SIZE, i++) {
    hashes.set(incoming[i] as Uint8Array, at);
  }
  return hashes;
}

/** The partial tiles of the tree of `size` leaves by tile-level, checked against the size. */
function edgeByLevel(size: number, edge: readonly Tile[]): (Tile | undefined)[] {
  const byLevel = new Map<number, Tile>();
  for (const tile of edge) {
    if (byLevel.has(tile.level)) {
      throw new Error(`two partial tiles at tile-level ${tile.level} of a tree of size ${size}`);
    }
    byLevel.set(tile.level, tile);
  }
  const levels: (Tile | undefined)[] = [];
  for (const want of edgeTiles(size)) {
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
    levels[want.level] = tile;
  }
  const [extra] = byLevel.values();
  if (extra !== undefined) {
    throw new Error(
      `tile ${extra.level}/${extra.index} is not a partial tile of a tree of size ${size}`,
    );
  }
  return levels;
}
