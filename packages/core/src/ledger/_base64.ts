import { Buffer } from 'node:buffer';

/** Standard RFC 4648 §4 base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The 6-bit value of each character code below 128, or -1 outside the alphabet. */
const SEXTETS = Int8Array.from({ length: 128 }, (_, code) =>
  ALPHABET.indexOf(String.fromCharCode(code)),
);

/**
 * Decodes standard padded base64, or returns undefined. Only the canonical encoding
 * is accepted (no whitespace, no URL alphabet, no missing padding, no stray bits), so
 * one value has exactly one text form and signed text cannot be re-encoded unnoticed.
 * `allocate` gives the memory to decode into (see transientBytes); by default a new array.
 */
export function decodeBase64(
  text: string,
  allocate: (length: number) => Uint8Array = newBytes,
): Uint8Array | undefined {
  // Checked and decoded in one pass: every read opens several small encodings, for which a
  // regular expression, Buffer's decoder and an encoding back to compare cost several times
  // more than this loop.
  const length = text.length;
  if (length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = allocate((length / 4) * 3 - padding);
  const whole = padding === 0 ? length : length - 4;
  let out = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    bytes[out] = (a << 2) | (b >> 4);
    bytes[out + 1] = ((b & 0x0f) << 4) | (c >> 2);
    bytes[out + 2] = ((c & 0x03) << 6) | d;
    out += 3;
  }
  if (padding === 0) return bytes;
  const a = sextet(text, whole);
  const b = sextet(text, whole + 1);
  if ((a | b) < 0) return undefined;
  bytes[out] = (a << 2) | (b >> 4);
  // The bits after the last byte must be zero: anything else is a second spelling.
  if (padding === 2) return (b & 0x0f) === 0 ? bytes : undefined;
  const c = sextet(text, whole + 2);
  if (c < 0 || (c & 0x03) !== 0) return undefined;
  bytes[out + 1] = ((b & 0x0f) << 4) | (c >> 2);
  return bytes;
}

function newBytes(length: number): Uint8Array {
  return new Uint8Array(length);
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (SEXTETS[code] as number) : -1;
}
