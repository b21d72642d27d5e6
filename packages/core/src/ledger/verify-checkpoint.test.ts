import { describe, expect, it } from 'vitest';
import { fromHex, hex, vectors } from './fixtures/test-tree.js';
import { generateSigner, parseSignerKey, parseVerifierKey } from './note-keys.js';
import { signCheckpoint } from './sign-checkpoint.js';
import { signNote } from './signed-note.js';
import { verifyCheckpoint } from './verify-checkpoint.js';

const ORIGIN = 'log.example/declog';
const seed = new Uint8Array(32).fill(7);
const keys = generateSigner(ORIGIN, { seed });
const signerResult = parseSignerKey(keys.signerKey);
if (!signerResult.ok) throw new Error(signerResult.reason);
const signer = signerResult.signer;
const root8 = fromHex(vectors.tree8.roots_by_size['8'] ?? '');
const pinned = { origin: ORIGIN, verifierKey: keys.verifierKey };
const note = signCheckpoint({ origin: ORIGIN, size: 8, rootHash: root8 }, signer);

describe('verifyCheckpoint', () => {
  it('accepts a checkpoint signed by the pinned key for the pinned origin', () => {
    const result = verifyCheckpoint(note, pinned);
    expect(result.ok && [result.checkpoint.size, hex(result.checkpoint.rootHash)]).toEqual([
      8,
      hex(root8),
    ]);
    const parsed = parseVerifierKey(keys.verifierKey);
    expect(
      parsed.ok && verifyCheckpoint(note, { origin: ORIGIN, verifierKey: parsed.verifier }).ok,
    ).toBe(true);
  });

  it('refuses another log’s checkpoint even when it is validly signed by the pinned key', () => {
    const other = signCheckpoint({ origin: 'other.example/log', size: 8, rootHash: root8 }, signer);
    expect(verifyCheckpoint(other, pinned)).toMatchObject({ code: 'wrong-origin' });
    expect(verifyCheckpoint(note, { ...pinned, origin: 'other.example/log' })).toMatchObject({
      code: 'wrong-origin',
    });
  });

  it('refuses a checkpoint for the pinned origin signed by another key', () => {
    const impostor = generateSigner(ORIGIN);
    const impostorSigner = parseSignerKey(impostor.signerKey);
    if (!impostorSigner.ok) return expect.fail(impostorSigner.reason);
    const forged = signCheckpoint(
      { origin: ORIGIN, size: 9, rootHash: root8 },
      impostorSigner.signer,
    );
    expect(verifyCheckpoint(forged, pinned)).toMatchObject({ code: 'unknown-key' });
    expect(verifyCheckpoint(note, { ...pinned, verifierKey: impostor.verifierKey })).toMatchObject({
      code: 'unknown-key',
    });
  });

  it('rejects the checkpoint when any single character is altered', () => {
    for (let i = 0; i < note.length; i++) {
      const c = note[i];
      const altered =
        note.slice(0, i) + (c === '1' ? '2' : c === '\n' ? 'x' : '1') + note.slice(i + 1);
      expect(verifyCheckpoint(altered, pinned).ok, `character ${i} (${JSON.stringify(c)})`).toBe(
        false,
      );
    }
  });

  it('refuses a signed note whose body is not a checkpoint', () => {
    const notACheckpoint = signNote(
      `${ORIGIN}\n08\n${Buffer.from(root8).toString('base64')}\n`,
      signer,
    );
    expect(verifyCheckpoint(notACheckpoint, pinned)).toMatchObject({
      code: 'malformed-checkpoint',
    });
  });

  it('reports a malformed pinned key instead of throwing', () => {
    expect(verifyCheckpoint(note, { ...pinned, verifierKey: 'nonsense' })).toMatchObject({
      code: 'malformed-key',
    });
  });

  it('still accepts the checkpoint once witnesses cosign it', () => {
    const witness = parseSignerKey(generateSigner('witness.example').signerKey);
    if (!witness.ok) return expect.fail(witness.reason);
    const body = note.slice(0, note.lastIndexOf('\n\n') + 1);
    const cosigned = signNote(body, [witness.signer, signer]);
    expect(verifyCheckpoint(cosigned, pinned).ok).toBe(true);
  });
});
