import { decodeBase64 } from './_base64.js';

/** One entry of `GET /v1/events`, with its base64 fields decoded but nothing verified. */
export interface LogEntry {
  readonly seq: number;
  readonly leaf: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly event: unknown;
}

/**
 * An entry pruned by retention, as the API serves it: its leaf hash, which only the signed
 * root can vouch for, and the server's word on the pruning.
 */
export interface PrunedLogEntry {
  readonly seq: number;
  readonly leafHash: Uint8Array;
  readonly pruned: unknown;
}

/**
 * Reads a `{items: [{seq, leaf, leaf_hash, event} | {seq, leaf_hash, pruned}], next}` answer,
 * or says what is malformed.
 */
export function parseEntriesPage(
  value: unknown,
):
  | { readonly ok: true; readonly items: readonly (LogEntry | PrunedLogEntry)[] }
  | { readonly ok: false; readonly reason: string } {
  const items = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return { ok: false, reason: 'the answer has no items array' };
  const entries: (LogEntry | PrunedLogEntry)[] = [];
  for (const [i, item] of items.entries()) {
    const entry = isPrunedItem(item) ? parsePrunedEntry(item) : parseEntry(item);
    if (typeof entry === 'string') return { ok: false, reason: `item ${i}: ${entry}` };
    entries.push(entry);
  }
  return { ok: true, items: entries };
}

/** An entry object of the API (also in evidence bundles), or why it is malformed. */
export function parseEntry(item: unknown): LogEntry | string {
  if (typeof item !== 'object' || item === null) return 'not an object';
  const { seq, leaf, leaf_hash: hash, event } = item as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return 'seq is not a non-negative integer';
  }
  const leafBytes = decodeBase64(leaf);
  if (leafBytes === undefined) return `seq ${seq}: leaf is not canonical base64`;
  const leafHash = decodeBase64(hash);
  if (leafHash?.length !== 32) return `seq ${seq}: leaf_hash is not a base64 32-byte hash`;
  return { seq, leaf: leafBytes, leafHash, event };
}

function isPrunedItem(item: unknown): item is Record<string, unknown> {
  return typeof item === 'object' && item !== null && 'pruned' in item && !('leaf' in item);
}

function parsePrunedEntry(item: Record<string, unknown>): PrunedLogEntry | string {
  const { seq, leaf_hash: hash, pruned } = item;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return 'seq is not a non-negative integer';
  }
  const leafHash = decodeBase64(hash);
  if (leafHash?.length !== 32) return `seq ${seq}: leaf_hash is not a base64 32-byte hash`;
  return { seq, leafHash, pruned };
}
