import type { HoldKind, LegalHold } from '@declog/core';

/** A `legal_holds` row, the same in every store. */
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
