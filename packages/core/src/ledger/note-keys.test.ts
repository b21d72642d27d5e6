import { describe, expect, it } from 'vitest';
import { fromBase64, vectors } from './fixtures/test-tree.js';
import {
  generateSigner,
  formatKeyId,
  isValidKeyName,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
} from './note-keys.js';

const peter = vectors.signed_notes[0] ?? { verifier_key: '', signer_key: '', note: '' };

describe('note keys', () => {
  it('parses the Go sumdb/note example keys and recomputes their key ID', () => {
    const verifier = parseVerifierKey(peter.verifier_key);
    expect(verifier.ok && [verifier.verifier.name, formatKeyId(verifier.verifier.keyId)]).toEqual([
      'PeterNeumann',
      'c74f20a3',
    ]);
    const signer = parseSignerKey(peter.signer_key ?? '');
    expect(signer.ok && [signer.signer.name, formatKeyId(signer.signer.keyId)]).toEqual([
      'PeterNeumann',
      'c74f20a3',
    ]);
    for (const v of vectors.signed_notes) expect(parseVerifierKey(v.verifier_key).ok).toBe(true);
  });

  it('generates the example key texts again from the example seed', () => {
    const seed = fromBase64((peter.signer_key ?? '').split('+').slice(4).join('+')).subarray(1);
    expect(generateSigner('PeterNeumann', { seed })).toEqual({
      signerKey: peter.signer_key,
      verifierKey: peter.verifier_key,
    });
  });

  it('generates fresh keys whose texts parse and agree', () => {
    const a = generateSigner('log.example/declog');
    const b = generateSigner('log.example/declog');
    expect(a.verifierKey).not.toBe(b.verifierKey);
    const signer = parseSignerKey(a.signerKey);
    const verifier = parseVerifierKey(a.verifierKey);
    if (!signer.ok || !verifier.ok) return expect.fail('generated keys do not parse');
    expect(signer.signer.keyId).toBe(verifier.verifier.keyId);
    const message = new TextEncoder().encode('hello\n');
    expect(verifier.verifier.verify(message, signer.signer.sign(message))).toBe(true);
  });

  it('computes the key ID over name, newline, type byte and key', () => {
    const key = fromBase64(peter.verifier_key.split('+')[2] ?? '').subarray(1);
    expect(formatKeyId(noteKeyId('PeterNeumann', key))).toBe('c74f20a3');
    expect(formatKeyId(noteKeyId('PeterNeumann2', key))).not.toBe('c74f20a3');
  });

  it('rejects every malformed key text', () => {
    const [name, id, key] = peter.verifier_key.split('+') as [string, string, string];
    const bad = [
      '',
      'PeterNeumann',
      `${name}+${id}`,
      `${name}+C74F20A3+${key}`, // uppercase hex is never produced; refuse it
      `${name}+c74f20a4+${key}`, // key ID that does not match the key
      `${name}+c74f20a+${key}`,
      `Peter Neumann+${id}+${key}`,
      `+${id}+${key}`,
      `${name}+${id}+${key.slice(0, -1)}`,
      `${name}+${id}+${key}=`,
      `${name}+${id}+AB${key.slice(2)}`, // type byte 0x00 instead of 0x01
      `${name}+${id}+${key.replaceAll('/', '_')}`,
      `${name}+${id}+${key}\n`,
    ];
    for (const text of bad) {
      expect(parseVerifierKey(text), JSON.stringify(text)).toMatchObject({
        ok: false,
        code: 'malformed-key',
      });
    }
    expect(parseSignerKey(peter.verifier_key).ok).toBe(false);
    expect(parseSignerKey((peter.signer_key ?? '').replace('c74f20a3', 'c74f20a4')).ok).toBe(false);
    expect(parseSignerKey((peter.signer_key ?? '').replace('PRIVATE+KEY', 'PUBLIC+KEY')).ok).toBe(
      false,
    );
  });

  it('allows URL-like names but no spaces, plus signs or control characters', () => {
    expect(isValidKeyName('log.example/declog')).toBe(true);
    expect(isValidKeyName('ünïcode.example')).toBe(true);
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u2003b', 'a\tb', 'a\u0085b', 'a\ud800b']) {
      expect(isValidKeyName(name), JSON.stringify(name)).toBe(false);
    }
    expect(() => generateSigner('bad name')).toThrow(RangeError);
  });
});
