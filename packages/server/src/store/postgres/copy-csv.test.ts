import { describe, expect, it } from 'vitest';
import { csvRow } from './copy-csv.js';

describe('csvRow', () => {
  it('quotes strings, doubling quotes, and keeps NULL apart from the empty string', () => {
    expect(csvRow(['a', '', null, 'say "hi", then\nleave'])).toBe(
      '"a","",,"say ""hi"", then\nleave"',
    );
  });

  it('writes numbers bare and bytes as bytea hex', () => {
    expect(csvRow([0, -12, 1.5, new Uint8Array([0, 255, 16])])).toBe('0,-12,1.5,\\x00ff10');
    expect(() => csvRow([Number.NaN])).toThrow(RangeError);
  });

  it('writes string arrays as quoted array literals', () => {
    expect(csvRow([['w:a', 'l:1:k=v"x', 'back\\slash', '{}', ''], []])).toBe(
      '"{""w:a"",""l:1:k=v\\""x"",""back\\\\slash"",""{}"",""""}","{}"',
    );
  });
});
