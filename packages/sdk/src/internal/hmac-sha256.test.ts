import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from './hmac-sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('sha256 and hmacSha256 in plain JavaScript', () => {
  it('match the FIPS 180-2 vectors', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('match node:crypto on random data of every length around the block edges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('match node:crypto HMAC for short, block-sized and long keys and any text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.string({ unit: 'binary' }), (key, text) => {
        const expected = createHmac('sha256', key).update(text, 'utf8').digest('hex');
        expect(hex(hmacSha256(key)(text))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
