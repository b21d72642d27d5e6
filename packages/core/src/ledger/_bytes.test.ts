import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { transientBytes, transientUtf8, utf8 } from './_bytes.js';

describe('transient bytes', () => {
  test('transientUtf8 encodes as utf8 does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const pooled = transientUtf8(text);
        expect(pooled.constructor).toBe(Uint8Array);
        expect(pooled).toEqual(utf8(text));
      }),
    );
  });

  test('transientBytes hands out distinct ranges of the length asked for', () => {
    const a = transientBytes(100).fill(1);
    const b = transientBytes(100).fill(2);
    expect(a).toEqual(new Uint8Array(100).fill(1));
    expect(b).toHaveLength(100);
  });
});
