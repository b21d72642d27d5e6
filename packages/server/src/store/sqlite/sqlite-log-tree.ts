import {
  edgeTiles,
  integrateTiles,
  nodesFromTiles,
  tilesForNodes,
  type NodeRef,
  type Tile,
  type TileRef,
} from '@declog/core';
import { asBuffer } from '../stored-records.js';
import type { SqliteLogContext } from './sqlite-log-context.js';

/** The Merkle tree of one log, kept as tiles (see docs/ledger.md, "The tree stored as tiles"). */
export interface SqliteLogTree {
  /**
   * Stores the leaf hashes of entries appended after the first `size` ones in the tiles they
   * fill; inside the caller's transaction. Call `committed` once it commits.
   */
  append(size: number, leafHashes: readonly Uint8Array[]): void;
  /** The append's transaction committed (true) or rolled back (false). */
  committed(ok: boolean): void;
  /** Forgets the cached right edge (after a change of the log made elsewhere). */
  forget(): void;
  /** Hashes of complete nodes, in the order asked; throws when one is missing. */
  nodes(refs: readonly NodeRef[]): readonly Uint8Array[];
  /** The leaf hash at `seq`; throws when it is missing. */
  leaf(seq: number): Uint8Array;
}

/**
 * The tree of a log as rows of tiles: a tile holds up to 256 hashes of one tree level (every
 * eighth), so an append writes a few rows per thousand entries rather than two per entry, and a
 * node between those levels is hashed up from its tile when a proof needs it.
 */
export function sqliteLogTree({ db, p }: SqliteLogContext): SqliteLogTree {
  const readTile = db
    .prepare<[number, number], Buffer>(`SELECT hashes FROM ${p}tiles WHERE level = ? AND idx = ?`)
    .pluck();
  // Runs of tiles of one level (a verifier reading every leaf hash): one range scan.
  const readRange = db.prepare<[number, number, number], { idx: number; hashes: Buffer }>(
    `SELECT idx, hashes FROM ${p}tiles WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx`,
  );
  const writeTile = db.prepare<[number, number, Buffer]>(
    `INSERT INTO ${p}tiles (level, idx, hashes) VALUES (?, ?, ?)
       ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes`,
  );

  const tiles = (refs: readonly TileRef[]): Tile[] => {
    const found: Tile[] = [];
    for (let start = 0; start < refs.length;) {
      const first = refs[start] as TileRef;
      let end = start + 1;
      while (
        end < refs.length &&
        refs[end]?.level === first.level &&
        refs[end]?.index === first.index + (end - start)
      ) {
        end += 1;
      }
      if (end - start === 1) {
        const hashes = readTile.get(first.level, first.index);
        if (hashes) found.push({ ...first, hashes });
      } else {
        for (const row of readRange.all(first.level, first.index, first.index + end - start - 1)) {
          found.push({ level: first.level, index: row.idx, hashes: row.hashes });
        }
      }
      start = end;
    }
    return found;
  };

  // The partial tiles at the right edge, cached between appends; another process may have
  // appended meanwhile, so they are read again when their size is not the log's.
  let edge: { size: number; tiles: readonly Tile[] } | null = null;
  let pending: { size: number; tiles: readonly Tile[] } | null = null;

  return {
    append(size, leafHashes) {
      const current = edge !== null && edge.size === size ? edge.tiles : tiles(edgeTiles(size));
      const integrated = integrateTiles(size, current, leafHashes);
      for (const tile of integrated.tiles) {
        writeTile.run(tile.level, tile.index, asBuffer(tile.hashes));
      }
      pending = { size: integrated.size, tiles: integrated.edge };
    },
    committed(ok) {
      // Only a committed edge is cached: a rolled-back one would be ahead of the log.
      edge = ok ? pending : null;
      pending = null;
    },
    forget() {
      edge = null;
    },
    nodes(refs) {
      return nodesFromTiles(refs, tiles(tilesForNodes(refs)));
    },
    leaf(seq) {
      return nodesFromTiles(
        [{ level: 0, index: seq }],
        tiles(tilesForNodes([{ level: 0, index: seq }])),
      )[0] as Uint8Array;
    },
  };
}
