import { describe, expect, it } from 'vitest';
import * as ledger from './index.js';

describe('ledger public API, end to end', () => {
  it('appends, checkpoints, proves and verifies the way a log and an auditor would', () => {
    const origin = 'log.example/declog';
    const keys = ledger.generateSigner(origin, { seed: new Uint8Array(32).fill(1) });
    const signer = ledger.parseSignerKey(keys.signerKey);
    if (!signer.ok) return expect.fail(signer.reason);
    const pinned = { origin, verifierKey: keys.verifierKey };

    // The log: keep the frontier in memory, persist every new node.
    const stored = new Map<string, Uint8Array>();
    const getNode: ledger.GetNode = (level, index) => {
      const hash = stored.get(`${level}/${index}`);
      if (hash === undefined) throw new Error(`node ${level}/${index} missing`);
      return hash;
    };
    let frontier = ledger.EMPTY_FRONTIER;
    const checkpoints: string[] = [];
    const events = Array.from({ length: 40 }, (_, i) => `{"seq":${i}}`);
    for (const json of events) {
      const appended = ledger.appendLeaf(frontier, ledger.leafHash(new TextEncoder().encode(json)));
      for (const n of appended.newNodes) stored.set(`${n.level}/${n.index}`, n.hash);
      frontier = appended.frontier;
      const rootHash = ledger.frontierRoot(frontier);
      checkpoints.push(
        ledger.signCheckpoint({ origin, size: frontier.size, rootHash }, signer.signer),
      );
    }

    // An auditor holding the checkpoint at size 13 receives the one at size 40.
    const old = ledger.verifyCheckpoint(checkpoints[12] ?? '', pinned);
    const now = ledger.verifyCheckpoint(checkpoints[39] ?? '', pinned);
    if (!old.ok || !now.ok) return expect.fail('checkpoints do not verify');
    const proof = ledger.consistencyProof(old.checkpoint.size, now.checkpoint.size, getNode);
    expect(
      ledger.verifyConsistency(13, 40, proof, old.checkpoint.rootHash, now.checkpoint.rootHash),
    ).toEqual({ ok: true });
    expect(ledger.rootAt(13, getNode)).toEqual(old.checkpoint.rootHash);

    // A user holding event 7 gets an offline-verifiable tlog-proof for it.
    const text = ledger.formatTlogProof({
      index: 7,
      proof: ledger.inclusionProof(7, 40, getNode),
      checkpoint: checkpoints[39] ?? '',
    });
    const leaf = ledger.leafHash(new TextEncoder().encode(events[7]));
    expect(ledger.verifyTlogProof(text, leaf, pinned).ok).toBe(true);
    expect(ledger.verifyTlogProof(text, ledger.leafHash(new Uint8Array(0)), pinned).ok).toBe(false);
  });
  it('keeps the same tree as tiles: appends, proves and checks the way a store and a verifier would', () => {
    const stored = new Map<string, Uint8Array>();
    const read = (refs: readonly ledger.TileRef[]): ledger.Tile[] =>
      refs.map(({ level, index }) => ({
        level,
        index,
        hashes: stored.get(`${level}/${index}`) ?? new Uint8Array(),
      }));
    const leaves = Array.from({ length: 600 }, (_, i) =>
      ledger.leafHash(new TextEncoder().encode(`{"seq":${i}}`)),
    );
    let size = 0;
    for (const batch of [leaves.slice(0, 1), leaves.slice(1, 400), leaves.slice(400)]) {
      const step = ledger.integrateTiles(size, read(ledger.edgeTiles(size)), batch);
      for (const tile of step.tiles) stored.set(`${tile.level}/${tile.index}`, tile.hashes);
      size = step.size;
    }
    expect(ledger.treeTiles(size).map(ledger.tilePath)).toEqual([
      'tile/0/000',
      'tile/0/001',
      'tile/0/002.p/88',
      'tile/1/000.p/2',
    ]);

    // A proof reads the tiles of its nodes at once, then folds as with stored nodes.
    const refs = ledger.inclusionNodes(7, size);
    const hashes = ledger.nodesFromTiles(refs, read(ledger.tilesForNodes(refs)));
    const byRef = new Map(refs.map((r, i) => [`${r.level}/${r.index}`, hashes[i]]));
    const getNode: ledger.GetNode = (level, index) => byRef.get(`${level}/${index}`) as Uint8Array;
    const proof = ledger.inclusionProof(7, size, getNode);
    const root = ledger.merkleRoot(leaves);
    expect(ledger.verifyInclusion(leaves[7] as Uint8Array, 7, size, proof, root)).toEqual({
      ok: true,
    });

    // A verifier rebuilds the tiles from the leaves and finds a stored node that was changed.
    const rebuilt = ledger.integrateTiles(0, [], leaves).tiles;
    expect(
      rebuilt.map((t) =>
        ledger.tileMismatch(t, stored.get(`${t.level}/${t.index}`) ?? new Uint8Array()),
      ),
    ).toEqual([null, null, null, null]);
    const level1 = stored.get('1/0') as Uint8Array;
    stored.set(
      '1/0',
      Uint8Array.from(level1, (b, i) => (i === 40 ? b ^ 1 : b)),
    );
    expect(ledger.tileMismatch(rebuilt[3] as ledger.Tile, stored.get('1/0') as Uint8Array)).toEqual(
      {
        kind: 'differs',
        tile: { level: 1, index: 0 },
        node: { level: ledger.TILE_HEIGHT, index: 1 },
      },
    );
  });
});
