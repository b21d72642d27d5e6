import { decisionSubjects } from '../decision-subject.js';
import {
  isPruned,
  itemsWithinBytes,
  leafHashOfText,
  MAX_PAGE_BYTES,
  type EventStore,
  type LogRow,
} from '@declog/core';
import { DeclogError } from '../../errors.js';
import { readDecisionChainRows, chainJson } from '../read-events.js';
import type { CheckpointSource } from './checkpoint-source.js';
import type { Answer } from '../answer.js';
import { proveConsistency, proveInclusion } from './tree-reads.js';

/**
 * What the ledger's read endpoints need: the store they read and where its checkpoints come
 * from. Every answer is taken from this one store, so proofs always match its own tree.
 */
export interface LogReadDeps {
  readonly store: EventStore;
  readonly checkpoints: CheckpointSource;
}

export const MAX_ENTRIES_PAGE = 1000;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * A log entry: its exact leaf bytes, their leaf hash, and the event they encode; once pruned
 * by retention, its leaf hash (which the tree keeps) and what is known of the pruning.
 */
function entryJson(row: LogRow): string {
  if (isPruned(row)) {
    const { pruned } = row;
    return JSON.stringify({
      seq: row.seq,
      leaf_hash: b64(pruned.leafHash),
      pruned: {
        id: pruned.id,
        type: row.type,
        decision_id: pruned.decisionId,
        recorded_at: pruned.recordedAt,
        pruned_at: pruned.prunedAt,
        pruned_by: pruned.prunedBy,
      },
    });
  }
  const leaf = Buffer.from(row.json);
  return `{"seq":${row.seq},"leaf":"${leaf.toString('base64')}","leaf_hash":"${b64(leafHashOfText(row.json))}","event":${row.json}}`;
}

/** `GET /v1/events/{seq}`. */
export async function readEntry(store: EventStore, seqText: string): Promise<Answer> {
  const seq = parseCount(seqText, 'seq');
  const row = await store.eventBySeq(seq);
  if (!row) throw new DeclogError('not_found', `no entry at seq ${seq}`);
  return { json: entryJson(row), records: 1 };
}

/**
 * `GET /v1/events?from=SEQ&limit=N`: consecutive entries, for verifiers and mirrors; a page
 * ends early rather than pass MAX_PAGE_BYTES, and `next` is the seq to ask for next while the
 * log holds more.
 */
export async function readEntries(
  store: EventStore,
  fromText: string | undefined,
  limitText: string | undefined,
): Promise<Answer> {
  const from = fromText === undefined ? 0 : parseCount(fromText, 'from');
  const limit = limitText === undefined ? MAX_ENTRIES_PAGE : parseCount(limitText, 'limit');
  if (limit < 1 || limit > MAX_ENTRIES_PAGE) {
    throw badParameter('limit', `must be an integer from 1 to ${MAX_ENTRIES_PAGE}`);
  }
  // An entry's JSON is more than twice its stored text (the leaf in base64, then the event):
  // no more than the page can hold is read.
  const rows = await store.scan(from, limit, MAX_PAGE_BYTES / 2);
  const entries = rows.map(entryJson);
  const kept = itemsWithinBytes(entries);
  const last = rows[kept - 1];
  const more = kept < rows.length || (last !== undefined && last.seq + 1 < (await store.size()));
  const next = more && last ? String(last.seq + 1) : 'null';
  return {
    json: `{"items":[${entries.slice(0, kept).join(',')}],"next":${next}}`,
    records: kept,
  };
}

/**
 * `GET /v1/log/checkpoint[?size=N]`: the latest signed checkpoint (a new log's first one
 * included), or the one kept for tree size N, so that a client can prove any two consistent.
 */
export async function checkpointNote(
  deps: LogReadDeps,
  sizeText: string | undefined,
): Promise<string> {
  if (sizeText === undefined) return (await deps.checkpoints.latest()).note;
  const size = parseCount(sizeText, 'size');
  const kept = await deps.store.checkpointAt(size);
  if (!kept) {
    throw new DeclogError('not_found', `no checkpoint was issued for tree size ${size}`);
  }
  return kept.note;
}

/** `GET /v1/log/proof/inclusion?seq=N[&size=S]`; size defaults to the latest checkpoint's. */
export async function inclusionProofJson(
  deps: LogReadDeps,
  seqText: string | undefined,
  sizeText: string | undefined,
): Promise<string> {
  if (seqText === undefined) throw badParameter('seq', 'is required');
  const seq = parseCount(seqText, 'seq');
  const size =
    sizeText === undefined
      ? (await deps.checkpoints.covering(seq + 1)).size
      : await checkedSize(deps.store, parseCount(sizeText, 'size'), 'size');
  if (seq >= size) throw badParameter('seq', `must be below the tree size ${size}`);
  const hashes = await proveInclusion(deps.store, seq, size);
  return JSON.stringify({ seq, tree_size: size, hashes: hashes.map(b64) });
}

/** `GET /v1/log/proof/consistency?from=A&to=B`. */
export async function consistencyProofJson(
  store: EventStore,
  fromText: string | undefined,
  toText: string | undefined,
): Promise<string> {
  if (fromText === undefined) throw badParameter('from', 'is required');
  if (toText === undefined) throw badParameter('to', 'is required');
  const from = parseCount(fromText, 'from');
  const to = await checkedSize(store, parseCount(toText, 'to'), 'to');
  if (from < 1)
    throw badParameter('from', 'must be at least 1: nothing is consistent with an empty tree');
  if (from > to) throw badParameter('from', `must not exceed to (${to})`);
  const hashes = await proveConsistency(store, from, to);
  return JSON.stringify({ from, to, hashes: hashes.map(b64) });
}

/**
 * `GET /v1/decisions/{id}?proof=true`: the chain plus, for each of its events, an inclusion
 * proof against one signed checkpoint that covers them all.
 */
export async function decisionChainWithProofs(deps: LogReadDeps, id: string): Promise<Answer> {
  const chain = await readDecisionChainRows(deps.store, id);
  const rows = [chain.decision, ...chain.linked];
  const checkpoint = await deps.checkpoints.covering(Math.max(...rows.map((r) => r.seq)) + 1);
  const proofs = await Promise.all(
    rows.map(async (row) => ({
      seq: row.seq,
      leaf_hash: b64(leafHashOfText(row.json)),
      hashes: (await proveInclusion(deps.store, row.seq, checkpoint.size)).map(b64),
    })),
  );
  const json = chainJson(chain);
  return {
    json: `${json.slice(0, -1)},"checkpoint":${JSON.stringify(checkpoint.note)},"tree_size":${checkpoint.size},"proofs":${JSON.stringify(proofs)}}`,
    records: rows.length,
    subjects: decisionSubjects([chain.decision.json]),
  };
}

async function checkedSize(store: EventStore, size: number, name: string): Promise<number> {
  const logSize = await store.size();
  if (size > logSize) throw badParameter(name, `is beyond the log's ${logSize} entries`);
  return size;
}

function parseCount(text: string, name: string): number {
  if (!/^(0|[1-9]\d{0,14})$/.test(text)) {
    throw badParameter(name, 'must be a non-negative integer without leading zeros');
  }
  return Number(text);
}

function badParameter(name: string, message: string): DeclogError {
  return new DeclogError('invalid_parameter', `${name} ${message}`, [{ path: name, message }]);
}
