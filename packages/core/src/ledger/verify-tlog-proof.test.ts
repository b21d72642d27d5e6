import { describe, expect, it } from 'vitest';
import { buildTree } from './fixtures/test-tree.js';
import { frontierRoot } from './frontier.js';
import { EMPTY_ROOT } from './hashes.js';
import { inclusionProof } from './inclusion-proof.js';
import { generateSigner, parseSignerKey } from './note-keys.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { formatTlogProof } from './tlog-proof.js';
import { verifyTlogProof } from './verify-tlog-proof.js';

const ORIGIN = 'log.example/declog';
const keys = generateSigner(ORIGIN, { seed: new Uint8Array(32).fill(9) });
const signer = parseSignerKey(keys.signerKey);
if (!signer.ok) throw new Error(signer.reason);
const pinned = { origin: ORIGIN, verifierKey: keys.verifierKey };
const SIZE = 21;
const tree = buildTree(SIZE);
const rootHash = frontierRoot(tree.frontiers[SIZE] ?? { size: 0, hashes: [] });
const checkpoint = signCheckpoint({ origin: ORIGIN, size: SIZE, rootHash }, signer.signer);
const leaf = (i: number) => tree.leafHashes[i] ?? EMPTY_ROOT;

function proofFor(index: number): string {
  const proof = inclusionProof(index, SIZE, tree.nodesAt(SIZE).getNode);
  return formatTlogProof({ index, proof, checkpoint, extra: Uint8Array.of(index) });
}

describe('verifyTlogProof', () => {
  it('accepts a proof for every entry of the log', () => {
    for (let index = 0; index < SIZE; index++) {
      const result = verifyTlogProof(proofFor(index), leaf(index), pinned);
      expect(
        result.ok && [result.tlogProof.index, result.checkpoint.size],
        `entry ${index}`,
      ).toEqual([index, SIZE]);
    }
  });

  it('rejects a proof presented for another entry', () => {
    expect(verifyTlogProof(proofFor(3), leaf(4), pinned)).toMatchObject({ code: 'root-mismatch' });
  });

  it('rejects a proof against another pinned log or key', () => {
    expect(verifyTlogProof(proofFor(3), leaf(3), { ...pinned, origin: 'x.example' })).toMatchObject(
      {
        code: 'wrong-origin',
      },
    );
    const other = generateSigner(ORIGIN).verifierKey;
    expect(verifyTlogProof(proofFor(3), leaf(3), { ...pinned, verifierKey: other })).toMatchObject({
      code: 'unknown-key',
    });
  });

  it('rejects the proof when any single character outside the extra line is altered', () => {
    const text = proofFor(13);
    const extraLine = text.indexOf('\nextra ') + 1;
    const afterExtra = text.indexOf('\n', extraLine) + 1;
    for (let i = 0; i < text.length; i++) {
      if (i >= extraLine && i < afterExtra - 1) continue; // unauthenticated by design
      const c = text[i];
      const altered =
        text.slice(0, i) + (c === '1' ? '2' : c === '\n' ? 'x' : '1') + text.slice(i + 1);
      expect(verifyTlogProof(altered, leaf(13), pinned).ok, `character ${i}`).toBe(false);
    }
  });

  it('hands back the extra data, which nothing authenticates', () => {
    const text = proofFor(5).replace(/^extra .*$/m, 'extra AAAA');
    const result = verifyTlogProof(text, leaf(5), pinned);
    expect(result.ok && [...(result.tlogProof.extra ?? [])]).toEqual([0, 0, 0]);
  });
});
