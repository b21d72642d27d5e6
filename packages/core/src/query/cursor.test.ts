import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeCursor, encodeCursor, type Cursor } from './cursor.js';

const cursors: fc.Arbitrary<Cursor> = fc.record({
  occurredMs: fc.maxSafeInteger().filter((n) => !Object.is(n, -0)),
  seq: fc.maxSafeNat(),
});

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const fingerprints = fc.string({
  unit: fc.constantFrom(...'ABCXYZabcxyz0189_-'.split('')),
  minLength: 8,
  maxLength: 8,
});

describe('encodeCursor / decodeCursor', () => {
  test('decoding an encoded cursor gives it back', () => {
    fc.assert(
      fc.property(cursors, fingerprints, (cursor, query) => {
        expect(decodeCursor(encodeCursor(cursor, query))).toEqual({ after: cursor, query });
      }),
    );
  });

  test('encoded cursors are URL-safe and short', () => {
    fc.assert(
      fc.property(cursors, fingerprints, (cursor, query) => {
        expect(encodeCursor(cursor, query)).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      }),
    );
  });

  test('decoding any text never throws and yields null or a valid cursor', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.base64String(),
      fc.string({ unit: fc.constantFrom(...'v12:-0123456789abcdefgh'.split('')) }).map(base64url),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const cursor = decodeCursor(text);
        if (cursor === null) return;
        expect(Number.isSafeInteger(cursor.after.occurredMs)).toBe(true);
        expect(Number.isSafeInteger(cursor.after.seq) && cursor.after.seq >= 0).toBe(true);
        if (cursor.query !== null) {
          expect(decodeCursor(encodeCursor(cursor.after, cursor.query))).toEqual(cursor);
        }
      }),
    );
  });

  test.each([
    ['the extremes', { occurredMs: Number.MIN_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER }],
    ['times before 1970', { occurredMs: -1, seq: 0 }],
  ])('round-trips %s', (_name, cursor) => {
    expect(decodeCursor(encodeCursor(cursor, 'AbC-_x09'))).toEqual({
      after: cursor,
      query: 'AbC-_x09',
    });
  });

  test('reads a cursor of an earlier declog, not bound to a query, as such', () => {
    expect(decodeCursor(base64url('v1:-5:7'))).toEqual({
      after: { occurredMs: -5, seq: 7 },
      query: null,
    });
  });

  test('makes cursors of query fingerprints only', () => {
    expect(() => encodeCursor({ occurredMs: 0, seq: 0 }, 'short')).toThrow(RangeError);
  });

  test.each([
    ['empty text', ''],
    ['text that is not base64url', 'djE6MTox+'],
    ['text over 64 characters', 'A'.repeat(65)],
    ['another version', base64url('v3:1:2:abcdefgh')],
    ['a v2 cursor without its query', base64url('v2:1:2')],
    ['a v2 cursor with a short query', base64url('v2:1:2:abc')],
    ['a negative seq', base64url('v1:1:-2')],
    ['a fraction', base64url('v1:1.5:2')],
    ['an unsafe integer', base64url('v1:9999999999999999:2')],
    ['more than 16 digits', base64url('v1:1:12345678901234567')],
    ['trailing text', base64url('v1:1:2:3')],
    ['a cursor that cannot be encoded', encodeCursor({ occurredMs: 0.5, seq: 0 }, 'abcdefgh')],
  ])('rejects %s', (_name, text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});
