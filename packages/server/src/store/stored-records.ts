import {
  expandEventText,
  type LogEntryType,
  type PrunedRow,
  type StoredCheckpoint,
  type StoredPersonal,
  type StoredRow,
} from '@declog/core';

/** An `events` row as both stores select it (`body` as stored: see `compactEventText`). */
export interface EventRecord {
  seq: number;
  type: LogEntryType;
  body: string;
}

export const toStoredRow = (r: EventRecord): StoredRow => ({
  seq: r.seq,
  type: r.type,
  json: expandEventText(r.body),
});

/** A `checkpoints` row as both stores select it. */
export interface CheckpointRecord {
  size: number;
  root: Buffer;
  note: string;
  issued_at: string;
}

export const toStoredCheckpoint = (r: CheckpointRecord): StoredCheckpoint => ({
  size: r.size,
  rootHash: new Uint8Array(r.root),
  note: r.note,
  issuedAt: r.issued_at,
});

/** The bytes as a Buffer, without copying, for a BLOB or bytea parameter. */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A `pruned_entries` row as both stores select it. */
export interface PrunedRecord {
  seq: number;
  type: LogEntryType;
  id: string;
  decision_id: string | null;
  leaf_hash: Buffer;
  content_digest: Buffer;
  recorded_at: string;
  pruned_at: string;
  pruned_by: string;
}

export const PRUNED_COLUMNS =
  'seq, type, id, decision_id, leaf_hash, content_digest, recorded_at, pruned_at, pruned_by';

export const toPrunedRow = (r: PrunedRecord): PrunedRow => ({
  seq: Number(r.seq),
  type: r.type,
  pruned: {
    id: r.id,
    decisionId: r.decision_id,
    leafHash: new Uint8Array(r.leaf_hash),
    contentDigest: new Uint8Array(r.content_digest),
    recordedAt: r.recorded_at,
    prunedAt: r.pruned_at,
    prunedBy: r.pruned_by,
  },
});

/** A `personal_data` row as both stores select it (`sealed` packed or as text). */
export interface PersonalRecord {
  event_id: string;
  subject: string;
  sealed: string | Uint8Array | null;
  shredded_at: string | null;
  shredded_by: string | null;
}

/** The rows by event id, as `EventStore.personalData` answers. */
export function toPersonalMap(rows: Iterable<PersonalRecord>): Map<string, StoredPersonal> {
  const found = new Map<string, StoredPersonal>();
  for (const row of rows) {
    found.set(row.event_id, {
      subject: row.subject,
      // Packed records stay packed: readers open them in place (see parseSealedRecord).
      sealed: row.sealed,
      shreddedAt: row.shredded_at,
      shreddedBy: row.shredded_by,
    });
  }
  return found;
}
