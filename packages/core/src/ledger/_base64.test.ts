import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeBase64, encodeBase64 } from './_base64.js';

/** The decoder as it was first written (a regular expression, Buffer, an encoding back): the reference. */
function referenceDecode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(text, 'base64');
  if (decoded.toString('base64') !== text) return undefined;
  return new Uint8Array(decoded);
}

const BASE64_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='];
/** Characters near the alphabet: its own, padding, the URL alphabet, whitespace, non-ASCII. */
const nearChars = fc.constantFrom(
  ...BASE64_CHARS,
  '-',
  '_',
  ' ',
  '\n',
  '\r',
  '\t',
  '.',
  '\u00c0',
  '\u0141',
  '😀',
);

/** Strings that are often base64, and often nearly so: encodings with one change here or there. */
const nearlyBase64 = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((bytes) => encodeBase64(bytes)),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), nearChars)
    .map(([bytes, at, char]) => {
      const text = encodeBase64(bytes);
      const i = at % text.length;
      return text.slice(0, i) + char + text.slice(i + 1);
    }),
  fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat(), nearChars).map(([bytes, at, char]) => {
    const text = encodeBase64(bytes);
    const i = at % (text.length + 1);
    return text.slice(0, i) + char + text.slice(i);
  }),
  fc.array(nearChars, { maxLength: 24 }).map((chars) => chars.join('')),
);

describe('decodeBase64', () => {
  test('decodes canonical padded base64 of every length', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      const decoded = decodeBase64(Buffer.from(bytes).toString('base64'));
      expect(decoded).toEqual(bytes);
      expect(decoded?.constructor).toBe(Uint8Array);
    }
  });

  test('refuses every other spelling', () => {
    for (const text of [
      'AA', // missing padding
      'AAA',
      'AB==', // stray bits after the last byte
      'AAB=',
      'A===',
      '====',
      '=AAA',
      'AA=A',
      'AA==AA==', // padding inside
      'AA-_', // URL alphabet
      'AA A',
      'AAAA\n',
      ' AAAA',
      'AAA\u00c1',
      'AAAA====',
    ]) {
      expect({ text, decoded: decodeBase64(text) }).toEqual({ text, decoded: undefined });
    }
  });

  test('accepts and refuses exactly what the reference decoder does, with the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyBase64, fc.string({ unit: 'binary' }), fc.string()), (text) => {
        expect(decodeBase64(text)).toEqual(referenceDecode(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test('every last group of alphabet and padding characters decodes as the reference says', () => {
    // The bits of a group's first character never make a spelling non-canonical, so three
    // stand for all 65; the other three positions take every character. Each group also comes
    // after a canonical one, so that padding inside a text is covered too.
    const chars = BASE64_CHARS;
    const differing: string[] = [];
    for (const first of ['A', '/', '=']) {
      for (const second of chars) {
        for (const third of chars) {
          for (const fourth of chars) {
            for (const text of [
              first + second + third + fourth,
              `QUJD${first}${second}${third}${fourth}`,
            ]) {
              const decoded = decodeBase64(text);
              const reference = referenceDecode(text);
              const same =
                decoded === undefined || reference === undefined
                  ? decoded === reference
                  : Buffer.from(decoded).equals(reference);
              if (!same) differing.push(text);
            }
          }
        }
      }
    }
    expect(differing).toEqual([]);
  });
});
