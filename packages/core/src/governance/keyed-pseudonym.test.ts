import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { keyedPseudonym } from './keyed-pseudonym.js';
import { pseudonym } from './pseudonym.js';

const nodeHmac = (key: Uint8Array) => (text: string) =>
  new Uint8Array(createHmac('sha256', key).update(text).digest());

describe('keyedPseudonym', () => {
  it('is hmac: and the unpadded base64url of the first 16 bytes of the HMAC of the canonical JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.uint8Array({ minLength: 16, maxLength: 64 }), (value, key) => {
        const mac = createHmac('sha256', key).update(canonicalJson(value)).digest();
        const expected = `hmac:${mac.subarray(0, 16).toString('base64url')}`;
        expect(keyedPseudonym(value, nodeHmac(key))).toBe(expected);
        expect(pseudonym(value, key)).toBe(expected);
      }),
    );
  });

  it('refuses an HMAC shorter than 16 bytes', () => {
    expect(() => keyedPseudonym('x', () => new Uint8Array(15))).toThrow(RangeError);
  });
});
