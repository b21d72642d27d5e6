import { canonicalJson } from '../canonical-json.js';

/** Shortest pseudonym key accepted: 128 bits, the strength of the pseudonym itself. */
export const MIN_PSEUDONYM_KEY_BYTES = 16;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The pseudonym of a JSON value from a keyed HMAC-SHA256 of text: `hmac:` and the unpadded
 * base64url of the first 16 bytes of `hmac(canonical JSON of the value)`. Pure, so that the
 * server (node:crypto) and the SDK (any runtime) share one format and bring their own HMAC.
 *
 * @example keyedPseudonym('ann@example.com', (text) => hmacSha256(key, text)) // 'hmac:3q2-…'
 */
export function keyedPseudonym(value: unknown, hmac: (text: string) => Uint8Array): string {
  const mac = hmac(canonicalJson(value));
  if (mac.length < 16) throw new RangeError('an HMAC-SHA256 is 32 bytes');
  let out = 'hmac:';
  // 16 bytes: five groups of 3 bytes (4 characters each), then one byte (2 characters).
  for (let i = 0; i < 15; i += 3) {
    const n = ((mac[i] ?? 0) << 16) | ((mac[i + 1] ?? 0) << 8) | (mac[i + 2] ?? 0);
    out += char(n >> 18) + char(n >> 12) + char(n >> 6) + char(n);
  }
  const last = mac[15] ?? 0;
  return out + char(last >> 2) + char(last << 4);
}

function char(sixBits: number): string {
  return BASE64URL.charAt(sixBits & 63);
}
