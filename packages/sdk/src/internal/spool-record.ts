import { crc32 } from './crc32.js';
import type { EventRecord } from './event-record.js';
import { utf8Length } from './utf8-length.js';

/**
 * The spool's record: one batch, written with one append and one fsync.
 *
 * ```
 * offset  size  field
 *      0     4  magic "DLS1"
 *      4     4  payload length in bytes, unsigned big-endian
 *      8     4  CRC-32 of bytes 12 … end (count and payload), unsigned big-endian
 *     12     4  number of events, unsigned big-endian
 *     16     n  payload: the events' JSON texts in UTF-8, each followed by "\n"
 * ```
 */
export const SPOOL_MAGIC = new Uint8Array([0x44, 0x4c, 0x53, 0x31]); // "DLS1"
export const SPOOL_HEADER_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes of one spool record holding `records` in order. */
export function encodeSpoolRecord(records: readonly EventRecord[]): Uint8Array {
  const payload = encoder.encode(records.map((r) => `${r.json}\n`).join(''));
  const out = new Uint8Array(SPOOL_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  out.set(SPOOL_MAGIC, 0);
  view.setUint32(4, payload.length);
  view.setUint32(12, records.length);
  out.set(payload, SPOOL_HEADER_BYTES);
  view.setUint32(8, crc32(out.subarray(12)));
  return out;
}

/** What a scan of spool bytes found at one offset. */
export type SpoolScan =
  | { readonly kind: 'record'; readonly length: number; readonly count: number }
  /** The bytes end inside a record: a write the process did not finish. */
  | { readonly kind: 'torn'; readonly length: number }
  /** No valid record starts here: skip `length` bytes to the next one that verifies. */
  | { readonly kind: 'corrupt'; readonly length: number };

/**
 * Reads the record that starts at `offset` of `bytes` (a whole segment file). A record counts
 * only when its checksum verifies, so neither a torn write nor flipped bits are ever replayed.
 */
export function scanSpoolRecord(bytes: Uint8Array, offset: number): SpoolScan {
  const verified = verifiedLength(bytes, offset);
  if (verified !== undefined) return verified;
  const next = nextRecord(bytes, offset + 1);
  // Nothing valid follows: the process died while appending (the tail is a torn write).
  if (next === undefined && (startsWithMagic(bytes, offset) || isMagicPrefix(bytes, offset))) {
    return { kind: 'torn', length: bytes.length - offset };
  }
  return { kind: 'corrupt', length: (next ?? bytes.length) - offset };
}

/** The events of a verified record, parsed back; undefined if its payload is not JSON lines. */
export function decodeSpoolRecord(
  bytes: Uint8Array,
  offset: number,
): readonly EventRecord[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(offset + 4);
  const count = view.getUint32(offset + 12);
  let text: string;
  try {
    text = decoder.decode(
      bytes.subarray(offset + SPOOL_HEADER_BYTES, offset + SPOOL_HEADER_BYTES + length),
    );
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length !== count) return undefined;
  const records: EventRecord[] = [];
  for (const json of lines) {
    let id: unknown;
    try {
      id = (JSON.parse(json) as { id?: unknown }).id;
    } catch {
      return undefined;
    }
    if (typeof id !== 'string') return undefined;
    records.push({ id, json, bytes: utf8Length(json) });
  }
  return records;
}

function verifiedLength(bytes: Uint8Array, offset: number): SpoolScan | undefined {
  if (!startsWithMagic(bytes, offset) || bytes.length - offset < SPOOL_HEADER_BYTES) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(offset + 4);
  const end = offset + SPOOL_HEADER_BYTES + length;
  if (end > bytes.length) return undefined;
  if (crc32(bytes.subarray(offset + 12, end)) !== view.getUint32(offset + 8)) return undefined;
  return {
    kind: 'record',
    length: SPOOL_HEADER_BYTES + length,
    count: view.getUint32(offset + 12),
  };
}

function nextRecord(bytes: Uint8Array, from: number): number | undefined {
  for (let at = from; at + SPOOL_HEADER_BYTES <= bytes.length; at += 1) {
    if (bytes[at] === SPOOL_MAGIC[0] && verifiedLength(bytes, at) !== undefined) return at;
  }
  return undefined;
}

function startsWithMagic(bytes: Uint8Array, offset: number): boolean {
  return SPOOL_MAGIC.every((byte, i) => bytes[offset + i] === byte);
}

function isMagicPrefix(bytes: Uint8Array, offset: number): boolean {
  for (let i = offset; i < bytes.length; i += 1) {
    if (bytes[i] !== SPOOL_MAGIC[i - offset]) return false;
  }
  return true;
}
