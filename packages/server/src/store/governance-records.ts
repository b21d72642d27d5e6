import type { ApiKeyRecord, HoldKind, LegalHold, SubjectKeyRecord } from '@declog/core';

// Rows of the governance tables as every store reads them, and the records they become.

/** A `legal_holds` row. */
export interface HoldRow {
  id: string;
  tenant: string;
  kind: string;
  target: string;
  reason: string;
  placed_at: string;
  placed_by: string;
  released_at: string | null;
  released_by: string | null;
}

export function toHold(row: HoldRow): LegalHold {
  return {
    id: row.id,
    tenant: row.tenant,
    kind: row.kind as HoldKind,
    target: row.target,
    reason: row.reason,
    placedAt: row.placed_at,
    placedBy: row.placed_by,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
  };
}

/** An `api_keys` row. */
export interface KeyRow {
  id: string;
  name: string;
  role: string;
  tenant: string | null;
  secret_hash: Buffer;
  created_at: string;
  revoked_at: string | null;
}

export function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    tenant: row.tenant,
    secretHash: new Uint8Array(row.secret_hash),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** A `subject_keys` row. */
export interface SubjectRow {
  tenant: string;
  subject: string;
  wrapped_key: string | null;
  created_at: string;
  erased_at: string | null;
  erased_by: string | null;
}

/** The record of a subject key just stored, as a read of its row would give it. */
export function newSubjectKey(
  tenant: string,
  subject: string,
  wrappedKey: string,
  createdAt: string,
): SubjectKeyRecord {
  return { tenant, subject, wrappedKey, createdAt, erasedAt: null, erasedBy: null };
}

export function toSubjectKey(row: SubjectRow): SubjectKeyRecord {
  return {
    tenant: row.tenant,
    subject: row.subject,
    wrappedKey: row.wrapped_key,
    createdAt: row.created_at,
    erasedAt: row.erased_at,
    erasedBy: row.erased_by,
  };
}
