import { describe, expect, it } from 'vitest';
import { vectors } from './fixtures/test-tree.js';
import type { NoteSigner, NoteVerifier } from './note-keys.js';
import { generateSigner, parseSignerKey, parseVerifierKey } from './note-keys.js';
import { openNote, signNote } from './signed-note.js';

function verifierOf(text: string): NoteVerifier {
  const parsed = parseVerifierKey(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.verifier;
}

function signerOf(text: string): NoteSigner {
  const parsed = parseSignerKey(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.signer;
}

const [peter, c2sp] = vectors.signed_notes as [
  (typeof vectors.signed_notes)[number],
  (typeof vectors.signed_notes)[number],
];
const peterBody = peter.note.slice(0, peter.note.lastIndexOf('\n\n') + 1);

/** A copy of `text` with the character at `i` replaced by a different one. */
function alterAt(text: string, i: number): string {
  const c = text[i];
  const replacement = c === 'A' ? 'B' : c === '\n' ? 'x' : c === '\u2014' ? '-' : 'A';
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

describe('signed notes', () => {
  it('opens both published example notes with their verifier keys', () => {
    for (const v of vectors.signed_notes) {
      const opened = openNote(v.note, [verifierOf(v.verifier_key)]);
      expect(opened.ok, v.source).toBe(true);
      if (opened.ok) expect(v.note.startsWith(`${opened.body}\n\u2014 `)).toBe(true);
    }
  });

  it('signs the Go example byte for byte (Ed25519 is deterministic)', () => {
    expect(signNote(peterBody, signerOf(peter.signer_key ?? ''))).toBe(peter.note);
  });

  it('returns the body and who signed it', () => {
    expect(openNote(peter.note, [verifierOf(peter.verifier_key)])).toEqual({
      ok: true,
      body: peterBody,
      signatures: [{ name: 'PeterNeumann', keyId: 0xc74f20a3 }],
    });
  });

  it('rejects the note when any single character is altered', () => {
    for (const v of vectors.signed_notes) {
      const verifiers = [verifierOf(v.verifier_key)];
      for (let i = 0; i < v.note.length; i++) {
        const altered = alterAt(v.note, i);
        expect(openNote(altered, verifiers).ok, `${v.source}: character ${i}`).toBe(false);
      }
    }
  });

  it('needs a signature from a key the caller trusts', () => {
    const stranger = generateSigner('PeterNeumann');
    expect(openNote(peter.note, [verifierOf(stranger.verifierKey)])).toMatchObject({
      code: 'unknown-key',
    });
    expect(openNote(peter.note, [])).toMatchObject({ code: 'unknown-key' });
    expect(openNote(peter.note, [verifierOf(c2sp.verifier_key)])).toMatchObject({
      code: 'unknown-key',
    });
  });

  it('fails a known name and key ID whose signature does not verify', () => {
    const impostor: NoteVerifier = {
      ...verifierOf(c2sp.verifier_key),
      name: 'PeterNeumann',
      keyId: 0xc74f20a3,
    };
    expect(openNote(peter.note, [impostor])).toMatchObject({ code: 'bad-signature' });
  });

  it('ignores signatures from unknown keys, so witnesses can cosign', () => {
    const witness = signerOf(generateSigner('witness.example').signerKey);
    const cosigned = signNote(peterBody, [signerOf(peter.signer_key ?? ''), witness]);
    expect(openNote(cosigned, [verifierOf(peter.verifier_key)]).ok).toBe(true);
    const foreignFirst = signNote(peterBody, [witness, signerOf(peter.signer_key ?? '')]);
    expect(openNote(foreignFirst, [verifierOf(peter.verifier_key)]).ok).toBe(true);
  });

  it('refuses malformed notes', () => {
    const verifiers = [verifierOf(peter.verifier_key)];
    const sigLine = peter.note.slice(peter.note.lastIndexOf('\n\n') + 2);
    const bad = {
      'no blank line': peter.note.replace('\n\n', '\n'),
      'no final newline': peter.note.slice(0, -1),
      'no signatures': `${peterBody}\n`,
      'an empty line among the signatures': `${peter.note}\n`,
      'hyphen instead of em dash': peter.note.replace('\u2014', '-'),
      'two spaces': peter.note.replace('\u2014 ', '\u2014  '),
      'a carriage return': peter.note.replaceAll('\n', '\r\n'),
      'a tab in the body': peter.note.replace(' ', '\t'),
      'a lone surrogate': peter.note.replace('If', '\ud800f'),
      'a duplicate signature from a known key': peter.note + sigLine,
      'a signature of four bytes': `${peterBody}\n\u2014 PeterNeumann x08gow==\n`,
      'more than 100 signatures': peter.note + sigLine.replace('PeterNeumann', 'other').repeat(100),
    };
    for (const [what, note] of Object.entries(bad)) {
      expect(openNote(note, verifiers), what).toMatchObject({ ok: false, code: 'malformed-note' });
    }
    expect(openNote(42 as unknown as string, verifiers).ok).toBe(false);
  });

  it('refuses to sign a body that could not be opened again', () => {
    const signer = signerOf(peter.signer_key ?? '');
    expect(() => signNote('no newline', signer)).toThrow(RangeError);
    expect(() => signNote('tab\there\n', signer)).toThrow(RangeError);
    expect(() => signNote('body\n', [])).toThrow(RangeError);
  });
});
