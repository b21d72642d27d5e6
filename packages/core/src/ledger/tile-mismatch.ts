import { HASH_SIZE } from './hashes.js';
import { TILE_HEIGHT, TILE_WIDTH, type Tile, type TileRef } from './tile-math.js';
import type { NodeRef } from './tree-math.js';

/**
 * The first place where a stored tile disagrees with the tile rebuilt from the leaves:
 * `node` is the tree node (level 8L) at that position of the tile.
 * - `differs`: both hold a hash there, and they differ (or the stored one is cut short);
 * - `missing`: the stored tile ends before it;
 * - `extra`: the stored tile goes on beyond the rebuilt one, which agrees with all of it up
 *   to there. That is expected of a partial tile while the log grows: the rebuilt one is an
 *   earlier state of it. Elsewhere it is stored data beyond the tree.
 */
export interface TileMismatch {
  readonly kind: 'differs' | 'missing' | 'extra';
  readonly tile: TileRef;
  readonly node: NodeRef;
}

/**
 * Compares the stored bytes of a tile with the tile rebuilt from the leaves (integrateTiles
 * from the empty tree emits them as it consumes leaf hashes). Null when they are the same.
 *
 * @example
 * const step = integrateTiles(size, edge, pageLeafHashes); // size, edge: the rebuilt tree's
 * for (const tile of step.tiles) problem ??= tileMismatch(tile, await readStoredTile(tile));
 */
export function tileMismatch(expected: Tile, stored: Uint8Array): TileMismatch | null {
  const width = expected.hashes.length / HASH_SIZE;
  const storedWidth = Math.ceil(stored.length / HASH_SIZE);
  const at = (position: number, kind: TileMismatch['kind']): TileMismatch => ({
    kind,
    tile: { level: expected.level, index: expected.index },
    node: { level: expected.level * TILE_HEIGHT, index: expected.index * TILE_WIDTH + position },
  });
  for (let position = 0; position < Math.min(width, storedWidth); position++) {
    if (!sameHash(expected.hashes, stored, position * HASH_SIZE)) return at(position, 'differs');
  }
  if (storedWidth < width) return at(storedWidth, 'missing');
  if (storedWidth > width) return at(width, 'extra');
  return null;
}

function sameHash(a: Uint8Array, b: Uint8Array, from: number): boolean {
  if (b.length < from + HASH_SIZE) return false;
  for (let i = from; i < from + HASH_SIZE; i++) if (a[i] !== b[i]) return false;
  return true;
}
