import { Buffer, isUtf8 } from 'node:buffer';
import { DeclogError } from '../errors.js';

/**
 * The text of UTF-8 `bytes`, or an `invalid_json` error naming the offset of the first byte
 * that is not UTF-8 (JSON is exchanged as UTF-8, RFC 8259 §8.1): a decoder would replace such
 * bytes with U+FFFD and store something the client never sent. With `lines`, the error names
 * the line too (1-based), as for an NDJSON body.
 */
export function utf8Text(bytes: Uint8Array, what: string, lines = false): string {
  if (isUtf8(bytes))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  const offset = invalidUtf8Offset(bytes);
  const line = lines ? ` (line ${lineAt(bytes, offset)})` : '';
  throw new DeclogError(
    'invalid_json',
    `${what} is not valid UTF-8: byte ${offset}${line} is 0x${hex(bytes[offset] ?? 0)}, which does not begin or continue a UTF-8 character there`,
    [{ path: '', message: `byte ${offset}${line} is not valid UTF-8` }],
  );
}

/**
 * The offset of the first byte of the first sequence that is not well-formed UTF-8 (Unicode
 * §3.9, table 3-7: no overlong forms, surrogates or code points beyond U+10FFFF), or -1.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length;) {
    const lead = bytes[at] as number;
    if (lead < 0x80) {
      at += 1;
      continue;
    }
    // The range the second byte must be in, and how many continuation bytes follow it.
    let low = 0x80;
    let high = 0xbf;
    let length: number;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return at;
    const second = bytes[at + 1];
    if (second === undefined || second < low || second > high) return at;
    for (let k = 2; k < length; k += 1) {
      const next = bytes[at + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return at;
    }
    at += length;
  }
  return -1;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(0x0a); at >= 0 && at < offset; at = bytes.indexOf(0x0a, at + 1)) {
    line += 1;
  }
  return line;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
