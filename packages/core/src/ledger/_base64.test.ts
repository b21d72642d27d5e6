import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeBase64 } from './_base64.js';
import { BASE64_CHARS, decodeBase64AsFirstWritten, nearlyBase64 } from './fixtures/base64-texts.js';

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
      fc.property(fc.oneof(nearlyBase64(), fc.string({ unit: 'binary' }), fc.string()), (text) => {
        expect(decodeBase64(text)).toEqual(decodeBase64AsFirstWritten(text));
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
              const reference = decodeBase64AsFirstWritten(text);
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
