import { runHash } from './_tile-hash.js';
import { HASH_SIZE } from './hashes.js';
import { locateNode, type Tile } from './tile-math.js';
import type { NodeRef } from './tree-math.js';

/**
 * The hashes of complete nodes, in the order asked, from the tiles tilesForNodes named for
 * them (read in any order; of two with the same level and index, the wider is used). A node
 * of tree level 8L is one hash of a tile, returned as a view into the tile's bytes (never
 * write into it); a node of level 8L + k is hashed up from 2^k of them. Throws when a tile
 * is missing or too narrow for a node: a broken store, not bad input.
 *
 * @example
 * const refs = inclusionNodes(seq, size);
 * const hashes = nodesFromTiles(refs, await readTiles(tilesForNodes(refs)));
 */
export function nodesFromTiles(refs: readonly NodeRef[], tiles: readonly Tile[]): Uint8Array[] {
  const byRef = new Map<string, Tile>();
  for (const tile of tiles) {
    if (tile.hashes.length % HASH_SIZE !== 0) {
      throw new Error(
        `tile ${tile.level}/${tile.index} is ${tile.hashes.length} bytes, not a whole number of hashes`,
      );
    }
    const key = `${tile.level}/${tile.index}`;
    const other = byRef.get(key);
    if (other === undefined || other.hashes.length < tile.hashes.length) byRef.set(key, tile);
  }
  // A node asked for twice (proofs of several leaves share nodes) is hashed up once.
  const hashed = new Map<string, Uint8Array>();
  let last: Tile | undefined;
  return refs.map((ref) => {
    const { tile: at, offset, count } = locateNode(ref);
    // Runs of nodes (a verifier's leaf hashes) come from one tile after another.
    const tile =
      last?.level === at.level && last.index === at.index
        ? last
        : byRef.get(`${at.level}/${at.index}`);
    const name = () => `node (level ${ref.level}, index ${ref.index})`;
    if (tile === undefined) {
      throw new Error(`${name()} needs tile ${at.level}/${at.index}, not given`);
    }
    last = tile;
    const width = tile.hashes.length / HASH_SIZE;
    if (width < offset + count) {
      throw new Error(
        `${name()} needs hashes ${offset}–${offset + count - 1} of tile ${at.level}/${at.index}, ` +
          `which holds ${width}`,
      );
    }
    if (count === 1) return runHash(tile.hashes, offset, count);
    const key = `${ref.level}/${ref.index}`;
    let hash = hashed.get(key);
    if (hash === undefined) {
      hash = runHash(tile.hashes, offset, count);
      hashed.set(key, hash);
    }
    return hash;
  });
}
