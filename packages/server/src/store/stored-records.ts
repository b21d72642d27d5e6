import type { LogEntryType, StoredCheckpoint, StoredRow } from '@declog/core';

/** An `events` row as both stores select it. */
export interface EventRecord {
  seq: number;
  type: LogEntryType;
  body: string;
}

export const toStoredRow = (r: EventRecord): StoredRow => ({
  seq: r.seq,
  type: r.type,
  json: r.body,
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
