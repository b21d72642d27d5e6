import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { isDeclogError } from '../errors.js';
import { invalidUtf8Offset, utf8Text } from './utf8-text.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('invalidUtf8Offset', () => {
  test.each([
    ['ASCII', bytes(0x7b, 0x7d), -1],
    ['two, three and four bytes', bytes(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80), -1],
    ['a continuation byte alone', bytes(0x41, 0x80), 1],
    ['an overlong two-byte form', bytes(0x41, 0x41, 0xc0, 0xaf), 2],
    ['an overlong three-byte form', bytes(0xe0, 0x80, 0xaf), 0],
    ['a surrogate', bytes(0x41, 0xed, 0xa0, 0x80), 1],
    ['beyond U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['a cut-off sequence at the end', bytes(0x41, 0xe2, 0x82), 1],
    ['a cut-off sequence before ASCII', bytes(0xe2, 0x82, 0x41), 0],
    ['ISO 8859-1 é', bytes(0x22, 0xe9, 0x22), 1],
    ['0xFF', bytes(0xff), 0],
  ])('%s', (_name, input, offset) => {
    expect(invalidUtf8Offset(input)).toBe(offset);
  });

  test('agrees with a strict decoder on any bytes (property)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (input) => {
        const offset = invalidUtf8Offset(input);
        let valid = true;
        try {
          strict.decode(input);
        } catch {
          valid = false;
        }
        expect(offset === -1).toBe(valid);
        if (offset >= 0) {
          // Everything before the offset decodes; the bytes from it on do not begin well.
          expect(() => strict.decode(input.subarray(0, offset))).not.toThrow();
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('utf8Text', () => {
  test('decodes UTF-8 as it is, a byte order mark included', () => {
    expect(utf8Text(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d), 'body')).toBe('\ufeff{}');
  });

  test('refuses other bytes, naming the offset and, for lines, the line', () => {
    const input = new TextEncoder().encode('{"a":1}\n{"b":"x');
    const bad = Uint8Array.from([...input, 0xe9, 0x22, 0x7d]);
    try {
      utf8Text(bad, 'body', true);
      expect.unreachable();
    } catch (error) {
      if (!isDeclogError(error)) throw error;
      expect(error.code).toBe('invalid_json');
      expect(error.message).toContain('byte 15 (line 2) is 0xE9');
      expect(error.details).toEqual([{ path: '', message: 'byte 15 (line 2) is not valid UTF-8' }]);
    }
  });
});
