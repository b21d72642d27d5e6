import { expandEventText } from '@declog/core';
import { withPostgres } from './postgres.js';

/** One row of a tenant's `events` table, read straight from PostgreSQL. */
export interface StoredEntry {
  readonly seq: number;
  readonly id: string;
  readonly body: string;
}

export interface StoredLog {
  /** Every stored event of the tenant, in seq order. */
  readonly entries: readonly StoredEntry[];
  /** The size the tenant's `logs` row records (where the next append starts). */
  readonly size: number;
  /** Sizes of the stored checkpoints, ascending. */
  readonly checkpointSizes: readonly number[];
}

/** Reads a tenant's log from the database itself, bypassing declog. */
export function readStoredLog(url: string, tenant = 'default'): Promise<StoredLog> {
  return withPostgres(url, async (client) => {
    const events = await client.query<{ seq: string; id: string; body: string }>(
      'SELECT seq, id, body FROM events WHERE tenant_id = $1 ORDER BY seq',
      [tenant],
    );
    const log = await client.query<{ size: string }>('SELECT size FROM logs WHERE tenant_id = $1', [
      tenant,
    ]);
    const checkpoints = await client.query<{ size: string }>(
      'SELECT size FROM checkpoints WHERE tenant_id = $1 ORDER BY size',
      [tenant],
    );
    return {
      entries: events.rows.map((row) => ({
        seq: Number(row.seq),
        id: row.id,
        body: expandEventText(row.body),
      })),
      size: Number(log.rows[0]?.size ?? -1),
      checkpointSizes: checkpoints.rows.map((row) => Number(row.size)),
    };
  });
}
