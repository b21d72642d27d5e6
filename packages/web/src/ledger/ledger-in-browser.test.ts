// The dashboard's verifier (WebCrypto) against the server's core and docs/ledger.md's worked
// example: it accepts what the core proves and signs, and refuses any change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateSigner,
  leafHash as coreLeafHash,
  merkleRoot,
  parseSignerKey,
  referenceConsistencyProof,
  referenceInclusionProof,
  signCheckpoint,
} from '@declog/core';
import { fromBase64, toHex } from './bytes';
import { checkpointSignedBy, parseCheckpointNote } from './checkpoint-note';
import { leafHash } from './merkle-hash';
import { keyFingerprint, parseVerifierKey } from './verifier-key';
import { verifyConsistency } from './verify-consistency';
import { verifyInclusion } from './verify-inclusion';

// docs/ledger.md, "Worked example".
const VERIFIER_KEY = 'log.example/declog+1f68ff58+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4';
const CHECKPOINT_4 =
  'log.example/declog\n4\naiBli0SCKbhfxUaNWKvHBxA2I2FzgMwrUWiVMIgLc10=\n\n' +
  '\u2014 log.example/declog H2j/WLjcsQ1hE4sojqR7o8aIARs3AaaAohyi8S3k8u36cvUq0VgqEm/F+gs0INVgLQN2vxGMKHHxKWtZVsWQoBcFrQI=\n';
const CHECKPOINT_7 =
  'log.example/declog\n7\n48m0QsRLm/Ugedk7jEWGTLInAJ3IYmww/ThlemMiX0s=\n\n' +
  '\u2014 log.example/declog H2j/WBgyMwm5Wh01no0GDJWxSI3Jsz7SU5neoost89cy3a9456J0T1D2yxa78vUojZ1wAJRXWkGwqxAGDdJucJgqVA0=\n';

const b64 = (text: string) => fromBase64(text)!;

async function pinned(text = VERIFIER_KEY) {
  const parsed = await parseVerifierKey(text);
  if (!parsed.ok) throw new Error(parsed.why);
  return parsed.key;
}

describe('the worked example of docs/ledger.md', () => {
  it('reads the verifier key and checks its key id', async () => {
    const key = await pinned();
    expect(toHex(key.keyId)).toBe('1f68ff58');
    expect(toHex(key.publicKey)).toBe(
      '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8',
    );
    expect(await keyFingerprint(key)).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    const wrongId = await parseVerifierKey(VERIFIER_KEY.replace('1f68ff58', '1f68ff59'));
    expect(wrongId).toEqual({ ok: false, why: 'its key id does not match its name and key' });
  });

  it('verifies the signatures of both checkpoints, and refuses an edited one', async () => {
    const key = await pinned();
    for (const text of [CHECKPOINT_4, CHECKPOINT_7]) {
      const parsed = parseCheckpointNote(text);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(await checkpointSignedBy(parsed.note, key)).toBe(true);
    }
    const edited = parseCheckpointNote(CHECKPOINT_7.replace('\n7\n', '\n8\n'));
    expect(edited.ok && (await checkpointSignedBy(edited.note, key))).toBe(false);
    const other = await pinned(generateSigner('log.example/declog').verifierKey);
    const note = parseCheckpointNote(CHECKPOINT_4);
    expect(note.ok && (await checkpointSignedBy(note.note, other))).toBe(false);
  });

  it('checks the inclusion of seq 2 in size 4 and of seq 6 in size 7', async () => {
    const root4 = b64('aiBli0SCKbhfxUaNWKvHBxA2I2FzgMwrUWiVMIgLc10=');
    const root7 = b64('48m0QsRLm/Ugedk7jEWGTLInAJ3IYmww/ThlemMiX0s=');
    const l2 = Uint8Array.from(
      '1e772ec6ddc19fac158c56062b032405948c543d452d96dde2cd588b81508074'.match(/../g)!,
      (h) => parseInt(h, 16),
    );
    const proof2 = [
      'D9Le5ZGwNzU7q03CuU+Djw/JQenHE7eSl2pub6kqSzY=',
      'pL7tGn+Nns3aR5w4bUeZmvuYrF5oU5Dn2VE3qZQLORc=',
    ].map(b64);
    expect(await verifyInclusion(l2, 2, 4, proof2, root4)).toBe(true);
    expect(await verifyInclusion(l2, 3, 4, proof2, root4)).toBe(false);
    const l6 = Uint8Array.from(
      '12e5de2d07c813cfeab9b8f40af48f1df810de11ca7a0f907a33f2787b070a34'.match(/../g)!,
      (h) => parseInt(h, 16),
    );
    const proof6 = [
      '1+Nh6+aKS8rLVeVgbyucNefWeHL7KshkWjh01fJdpmA=',
      'aiBli0SCKbhfxUaNWKvHBxA2I2FzgMwrUWiVMIgLc10=',
    ].map(b64);
    expect(await verifyInclusion(l6, 6, 7, proof6, root7)).toBe(true);
  });

  it('checks consistency from 4 and from 3 to 7', async () => {
    const root3 = Uint8Array.from(
      'a77b373980d4e3316d968fd9946437c1d0d9d2e703a00b194fb1fe8cc0fc03d0'.match(/../g)!,
      (h) => parseInt(h, 16),
    );
    const root4 = b64('aiBli0SCKbhfxUaNWKvHBxA2I2FzgMwrUWiVMIgLc10=');
    const root7 = b64('48m0QsRLm/Ugedk7jEWGTLInAJ3IYmww/ThlemMiX0s=');
    expect(
      await verifyConsistency(
        4,
        7,
        [b64('8fov7gnjjc6jH7V2kWFFNfbUxgq0n5Ij4g0KszLcp8M=')],
        root4,
        root7,
      ),
    ).toBe(true);
    const proof3 = [
      'Hncuxt3Bn6wVjFYGKwMkBZSMVD1FLZbd4s1Yi4FQgHQ=',
      'D9Le5ZGwNzU7q03CuU+Djw/JQenHE7eSl2pub6kqSzY=',
      'pL7tGn+Nns3aR5w4bUeZmvuYrF5oU5Dn2VE3qZQLORc=',
      '8fov7gnjjc6jH7V2kWFFNfbUxgq0n5Ij4g0KszLcp8M=',
    ].map(b64);
    expect(await verifyConsistency(3, 7, proof3, root3, root7)).toBe(true);
    expect(await verifyConsistency(3, 7, proof3, root4, root7)).toBe(false);
  });
});

describe('agreement with the core on random trees', () => {
  const leavesOf = (n: number) =>
    Array.from({ length: n }, (_, i) => coreLeafHash(new TextEncoder().encode(`leaf ${i}`)));

  it('accepts every inclusion proof the core makes and refuses a flipped bit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
        async ([n, m]) => {
          const leaves = leavesOf(n);
          const root = merkleRoot(leaves);
          const proof = referenceInclusionProof(leaves, m);
          expect(await verifyInclusion(leaves[m]!, m, n, proof, root)).toBe(true);
          const bad = Uint8Array.from(leaves[m]!);
          bad[0] = bad[0]! ^ 1;
          expect(await verifyInclusion(bad, m, n, proof, root)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('accepts every consistency proof the core makes and refuses a wrong old root', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 70 })
          .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))),
        async ([m, n]) => {
          const leaves = leavesOf(n);
          const proof = referenceConsistencyProof(leaves, m);
          const oldRoot = merkleRoot(leaves.slice(0, m));
          const newRoot = merkleRoot(leaves);
          expect(await verifyConsistency(m, n, proof, oldRoot, newRoot)).toBe(true);
          if (m < n) {
            const wrong = merkleRoot(leavesOf(m + 1).slice(1));
            expect(await verifyConsistency(m, n, proof, wrong, newRoot)).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('computes the leaf hash the core computes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(toHex(await leafHash(bytes))).toBe(toHex(coreLeafHash(bytes)));
      }),
      { numRuns: 50 },
    );
  });

  it('verifies checkpoints the core signs', async () => {
    const { signerKey, verifierKey } = generateSigner('example.org/log');
    const signer = parseSignerKey(signerKey);
    if (!signer.ok) throw new Error('signer');
    const root = merkleRoot(leavesOf(5));
    const text = signCheckpoint(
      { origin: 'example.org/log', size: 5, rootHash: root },
      signer.signer,
    );
    const note = parseCheckpointNote(text);
    expect(note.ok && (await checkpointSignedBy(note.note, await pinned(verifierKey)))).toBe(true);
  });
});
