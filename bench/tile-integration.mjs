// The tree stored as tiles against the tree stored as nodes, in-process and without a store:
// the core's work per append (a batch of 1,000 leaves, and one leaf) and per proof, each beside
// today's node functions measured in the same run, in alternated rounds.
// `npm run build && node bench/tile-integration.mjs` (BENCH_TREE_SIZE, default 300,000 leaves).
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import {
  EMPTY_FRONTIER,
  appendLeaf,
  appendLeaves,
  edgeTiles,
  frontierAt,
  inclusionNodes,
  inclusionProof,
  integrateTiles,
  leafHash,
  nodesFromTiles,
  rootAt,
  subtreeNodes,
  tilesForNodes,
} from '@declog/core';
import { mulberry32 } from './_prng.mjs';

const SIZE = Number(process.env.BENCH_TREE_SIZE ?? 300_000);
const ROUNDS = 5;
const random = mulberry32(7);

const leaves = Array.from({ length: SIZE + 1000 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));

// Both stores of the same tree of SIZE leaves: every node appendLeaf emits, and the tiles.
const nodes = new Map();
let frontier = EMPTY_FRONTIER;
for (const hash of leaves.slice(0, SIZE)) {
  const step = appendLeaf(frontier, hash);
  for (const n of step.newNodes) nodes.set(`${n.level}/${n.index}`, n.hash);
  frontier = step.frontier;
}
const tiles = new Map();
const tileAt = ({ level, index }) => ({ level, index, hashes: tiles.get(`${level}/${index}`) });
for (let at = 0; at < SIZE; at += 10_000) {
  const step = integrateTiles(
    at,
    edgeTiles(at).map(tileAt),
    leaves.slice(at, Math.min(SIZE, at + 10_000)),
  );
  for (const t of step.tiles) tiles.set(`${t.level}/${t.index}`, t.hashes);
}
const getNode = (level, index) => nodes.get(`${level}/${index}`);
const nodesOf = (refs) => nodesFromTiles(refs, tilesForNodes(refs).map(tileAt));

/** Mean µs per call of `run(i)` over `count` calls, the best of ROUNDS rounds. */
function time(count, run) {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < count; i++) run(i);
    best = Math.min(best, ((performance.now() - start) * 1000) / count);
  }
  return best;
}

// Append positions: sizes spread over a tile's width, so partial tiles of every width occur.
const starts = Array.from({ length: 200 }, () => SIZE - 1000 + Math.floor(random() * 1000));
const frontiers = new Map(starts.map((s) => [s, frontierAt(s, getNode)]));
// The stored tiles are those of SIZE leaves: an edge of a smaller tree is a prefix of them.
const edgeAt = (size) =>
  edgeTiles(size).map((t) => ({ ...t, hashes: tileAt(t).hashes.slice(0, 32 * t.width) }));
const edges = new Map(starts.map((s) => [s, edgeAt(s)]));

const figures = [];
const row = (what, tilesUs, nodesUs, per) =>
  figures.push({ what, tiles: tilesUs.toFixed(2), nodes: nodesUs.toFixed(2), per });

for (const batch of [1000, 1]) {
  const tilesUs = time(starts.length, (i) => {
    const s = starts[i];
    integrateTiles(s, edges.get(s), leaves.slice(s, s + batch));
  });
  const nodesUs = time(starts.length, (i) => {
    const s = starts[i];
    let f = frontiers.get(s);
    const written = [];
    for (const hash of leaves.slice(s, s + batch)) {
      const step = appendLeaf(f, hash);
      written.push(...step.newNodes);
      f = step.frontier;
    }
  });
  row(
    `append ${batch} leaf/leaves: integrateTiles vs appendLeaf loop`,
    tilesUs / batch,
    nodesUs / batch,
    'µs per leaf',
  );
}
row(
  'rebuild 1,000 leaves without writes: integrateTiles vs appendLeaves',
  time(starts.length, (i) =>
    integrateTiles(starts[i], edges.get(starts[i]), leaves.slice(starts[i], starts[i] + 1000)),
  ) / 1000,
  time(starts.length, (i) =>
    appendLeaves(frontiers.get(starts[i]), leaves.slice(starts[i], starts[i] + 1000)),
  ) / 1000,
  'µs per leaf',
);

const proofs = Array.from({ length: 500 }, () => Math.floor(random() * SIZE));
row(
  'inclusion proof in the whole tree: nodes from tiles vs stored nodes',
  time(proofs.length, (i) => {
    const refs = inclusionNodes(proofs[i], SIZE);
    const hashes = nodesOf(refs);
    const byRef = new Map(refs.map((r, k) => [`${r.level}/${r.index}`, hashes[k]]));
    inclusionProof(proofs[i], SIZE, (level, index) => byRef.get(`${level}/${index}`));
  }),
  time(proofs.length, (i) => inclusionProof(proofs[i], SIZE, getNode)),
  'µs per proof',
);
row(
  'root of the whole tree (a checkpoint): nodes from edge tiles vs stored nodes',
  time(200, () => {
    const refs = subtreeNodes(0, SIZE);
    const hashes = nodesOf(refs);
    const byRef = new Map(refs.map((r, k) => [`${r.level}/${r.index}`, hashes[k]]));
    rootAt(SIZE, (level, index) => byRef.get(`${level}/${index}`));
  }),
  time(200, () => rootAt(SIZE, getNode)),
  'µs per root',
);
const run = Array.from({ length: 1000 }, (_, i) => ({ level: 0, index: SIZE - 5000 + i }));
row(
  'read 1,000 leaf hashes (a verifier page): level-0 tile slices vs node lookups',
  time(200, () => nodesOf(run)) / 1000,
  time(200, () => run.map((r) => getNode(r.level, r.index))) / 1000,
  'µs per leaf hash',
);

// Bytes an append writes: the tiles returned, against 32 bytes per node appendLeaf emits.
for (const batch of [1000, 1]) {
  let tileBytes = 0;
  let nodeBytes = 0;
  for (const s of starts) {
    for (const t of integrateTiles(s, edges.get(s), leaves.slice(s, s + batch)).tiles) {
      tileBytes += t.hashes.length;
    }
    let f = frontiers.get(s);
    for (const hash of leaves.slice(s, s + batch)) {
      const step = appendLeaf(f, hash);
      nodeBytes += 32 * step.newNodes.length;
      f = step.frontier;
    }
  }
  row(
    `hash bytes written per append of ${batch}`,
    tileBytes / starts.length,
    nodeBytes / starts.length,
    'bytes (mean)',
  );
}

console.log(`tree of ${SIZE} leaves, best of ${ROUNDS} rounds`);
console.table(figures);
