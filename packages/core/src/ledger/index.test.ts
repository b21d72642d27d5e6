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
});
