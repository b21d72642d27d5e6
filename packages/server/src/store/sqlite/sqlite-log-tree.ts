import type Database from 'better-sqlite3';
import { appendLeaf, frontierAt, type Frontier, type NodeRef } from '@declog/core';
import { asBuffer } from '../stored-records.js';
import type { SqliteLogContext } from './sqlite-log-context.js';

/** The Merkle tree of one log: every complete node, appended with its leaves. */
export interface SqliteLogTree {
  /**
   * Stores the leaf hashes of entries appended after the first `size` ones, and every node
   * they complete; inside the caller's transaction. Call `committed` once it commits.
   */
  append(size: number, leafHashes: readonly Uint8Array[]): void;
  /** The append's transaction committed (true) or rolled back (false). */
  committed(ok: boolean): void;
  /** Forgets the cached right edge (after a change of the log made elsewhere). */
  forget(): void;
  nodes(refs: readonly NodeRef[]): readonly Uint8Array[];
  /** The leaf hash at `seq`; throws when it is missing. */
  leaf(seq: number): Uint8Array;
}

/** Scattered tree nodes read by one query, at most (a proof path needs about 2·log2 n). */
const MAX_NODES_PER_QUERY = 128;

export function sqliteLogTree({ db, p }: SqliteLogContext): SqliteLogTree {
  const selectNode = db.prepare<[number, number], { hash: Buffer }>(
    `SELECT hash FROM ${p}merkle_nodes WHERE level = ? AND idx = ?`,
  );
  // Plucked: a verifier reads every leaf hash through here, and one object a row adds up.
  const nodeRange = db
    .prepare<[number, number, number], Buffer>(
      `SELECT hash FROM ${p}merkle_nodes WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx`,
    )
    .pluck();
  const nodesInStatements = new Map<
    number,
    Database.Statement<unknown[], { level: number; idx: number; hash: Buffer }>
  >();
  const nodesIn = (count: number) => {
    let statement = nodesInStatements.get(count);
    if (!statement) {
      const pairs = Array.from({ length: count }, () => '(?, ?)').join(', ');
      statement = db.prepare(
        `SELECT level, idx, hash FROM ${p}merkle_nodes WHERE (level, idx) IN (VALUES ${pairs})`,
      );
      nodesInStatements.set(count, statement);
    }
    return statement;
  };
  const insertNode = db.prepare<[number, number, Buffer]>(
    `INSERT INTO ${p}merkle_nodes (level, idx, hash) VALUES (?, ?, ?)`,
  );
  const getNode = (level: number, index: number): Uint8Array => {
    const row = selectNode.get(level, index);
    if (!row) throw new Error(`merkle node (${level}, ${index}) is missing from the store`);
    return row.hash;
  };

  // The right edge of the tree, cached between appends; another process may have appended
  // meanwhile, so it is rebuilt from stored nodes when its size is not the log's.
  let frontier: Frontier | null = null;
  let pending: Frontier | null = null;

  return {
    append(size, leafHashes) {
      let tree = frontier !== null && frontier.size === size ? frontier : frontierAt(size, getNode);
      for (const leafHash of leafHashes) {
        const appended = appendLeaf(tree, leafHash);
        for (const node of appended.newNodes) {
          insertNode.run(node.level, node.index, asBuffer(node.hash));
        }
        tree = appended.frontier;
      }
      pending = tree;
    },
    committed(ok) {
      // Only a committed frontier is cached: a rolled-back one would be ahead of the log.
      frontier = ok ? pending : null;
      pending = null;
    },
    forget() {
      frontier = null;
    },
    leaf: (seq) => getNode(0, seq),
    nodes(refs) {
      // Runs of consecutive nodes on one level (a verifier reading leaf hashes) are read with
      // one range scan; scattered nodes (a proof's path) with one query for all of them.
      const hashes: (Uint8Array | undefined)[] = new Array(refs.length);
      const scattered: number[] = [];
      for (let start = 0; start < refs.length;) {
        const first = refs[start] as NodeRef;
        let end = start + 1;
        while (
          end < refs.length &&
          refs[end]?.level === first.level &&
          refs[end]?.index === first.index + (end - start)
        ) {
          end += 1;
        }
        if (end - start === 1) scattered.push(start);
        else {
          const rows = nodeRange.all(first.level, first.index, first.index + (end - start - 1));
          rows.forEach((hash, i) => (hashes[start + i] = hash));
        }
        start = end;
      }
      for (let i = 0; i < scattered.length; i += MAX_NODES_PER_QUERY) {
        const chunk = scattered.slice(i, i + MAX_NODES_PER_QUERY);
        const found = new Map<string, Uint8Array>();
        const params = chunk.flatMap((k) => [refs[k]?.level, refs[k]?.index]);
        for (const row of nodesIn(chunk.length).all(...params)) {
          found.set(`${row.level}/${row.idx}`, row.hash);
        }
        for (const k of chunk) hashes[k] = found.get(`${refs[k]?.level}/${refs[k]?.index}`);
      }
      return hashes.map((hash, i) => {
        if (!hash) {
          throw new Error(
            `merkle node (${refs[i]?.level}, ${refs[i]?.index}) is missing from the store`,
          );
        }
        return hash;
      });
    },
  };
}
