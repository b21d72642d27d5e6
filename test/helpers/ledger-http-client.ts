import { Buffer } from 'node:buffer';
import { expect } from 'vitest';
import {
  canonicalJson,
  leafHash,
  parseVerifierKey,
  verifyCheckpoint,
  type Checkpoint,
  type PinnedLog,
} from '@declog/core';
import { getJson, request, type Json } from './http-api.js';

/**
 * A ledger client that trusts nothing the server says until the core's verifiers have checked
 * it: every read below fails the test when the answer does not check out.
 */

/** Bytes of canonical padded base64; any other encoding from the server fails the test. */
export function fromBase64(text: unknown, what: string): Uint8Array {
  expect(typeof text, `${what} is not a string`).toBe('string');
  const bytes = Buffer.from(text as string, 'base64');
  expect(bytes.toString('base64'), `${what} is not canonical base64`).toBe(text);
  return new Uint8Array(bytes);
}

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** One entry of the log, as `GET /v1/events/{seq}` returns it, after checking it. */
export interface LogEntry {
  readonly seq: number;
  readonly leaf: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly event: Json;
}

/**
 * `GET /v1/events/{seq}`, checked: the leaf is the UTF-8 of the RFC 8785 canonical JSON of
 * `event`, `leaf_hash` is SHA-256(0x00 ‖ leaf), and the event is the one at `seq`.
 */
export async function fetchEntry(url: string, seq: number): Promise<LogEntry> {
  const response = await getJson(url, `/v1/events/${seq}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const body = response.body;
  expect(Object.keys(body).sort(), `entry ${seq} fields`).toEqual([
    'event',
    'leaf',
    'leaf_hash',
    'seq',
  ]);
  const event = body['event'] as Json;
  const leaf = fromBase64(body['leaf'], `leaf of entry ${seq}`);
  const hash = fromBase64(body['leaf_hash'], `leaf_hash of entry ${seq}`);
  expect(body['seq'], 'entry seq').toBe(seq);
  expect(event['seq'], `event seq of entry ${seq}`).toBe(seq);
  expect(Buffer.from(leaf).toString('utf8'), `leaf of entry ${seq} vs its event`).toBe(
    canonicalJson(event),
  );
  expect(toHex(hash), `leaf_hash of entry ${seq}`).toBe(toHex(leafHash(leaf)));
  return { seq, leaf, leafHash: hash, event };
}

/** `GET /v1/log/key`: the verifier key text, which must parse as a note verifier key. */
export async function fetchVerifierKey(url: string): Promise<string> {
  const response = await request<string>(url, '/v1/log/key');
  expect(response.status).toBe(200);
  expect(response.contentType).toMatch(/^text\/plain/);
  const text = String(response.body).trim();
  const parsed = parseVerifierKey(text);
  expect(parsed.ok, `GET /v1/log/key: ${JSON.stringify(parsed)}`).toBe(true);
  return text;
}

/** A checkpoint that verified against the pinned log, with its note text as served. */
export interface SignedCheckpoint extends Checkpoint {
  readonly note: string;
}

/** `GET /v1/log/checkpoint`, verified against the pinned origin and key. */
export async function fetchCheckpoint(url: string, pinned: PinnedLog): Promise<SignedCheckpoint> {
  const response = await request<string>(url, '/v1/log/checkpoint');
  expect(response.status).toBe(200);
  expect(response.contentType).toMatch(/^text\/plain/);
  const note = String(response.body);
  const verified = verifyCheckpoint(note, pinned);
  if (!verified.ok) expect.fail(`checkpoint does not verify (${verified.reason}):\n${note}`);
  return { ...verified.checkpoint, note };
}

/**
 * Polls `GET /v1/log/checkpoint` until a checkpoint covers `size` entries. Fails unless a
 * request sent at most `withinMs` after `since` (the acknowledgement) got one. Returns every
 * checkpoint seen on the way, the covering one last.
 */
export async function waitForCheckpoint(
  url: string,
  pinned: PinnedLog,
  size: number,
  since: number,
  withinMs = 1000,
): Promise<SignedCheckpoint[]> {
  const seen: SignedCheckpoint[] = [];
  for (;;) {
    const sentAt = performance.now();
    if (sentAt - since > withinMs) {
      const sizes = [...new Set(seen.map((c) => c.size))].join(', ');
      expect.fail(`no checkpoint covered ${size} entries ${withinMs} ms after the ack (${sizes})`);
    }
    const checkpoint = await fetchCheckpoint(url, pinned);
    seen.push(checkpoint);
    if (checkpoint.size >= size) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A proof as served, with the hashes decoded. */
export interface ServedProof {
  readonly status: number;
  readonly body: Json;
  readonly hashes: Uint8Array[];
}

/** `GET /v1/log/proof/inclusion?…` or `…/consistency?…`; `hashes` decoded when it succeeded. */
export async function fetchProof(url: string, path: string): Promise<ServedProof> {
  const response = await getJson(url, path);
  const raw = response.body['hashes'];
  const hashes =
    response.status === 200 && Array.isArray(raw)
      ? raw.map((h, i) => fromBase64(h, `${path} hash ${i}`))
      : [];
  return { status: response.status, body: response.body, hashes };
}
