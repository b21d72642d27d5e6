import type { Pool } from 'pg';
import { withConnection } from './with-connection.js';

/** The tables partitioned by `recorded_at` month; each has a DEFAULT partition as a safety net. */
export const PARTITIONED_TABLES = ['events', 'decisions'];

/** Any fixed number, other than the migration lock: serialises partition creation. */
const PARTITION_LOCK = 0x64656370; // "decp"

export interface MonthRange {
  /** `y2026m11`: the partition name suffix. */
  readonly suffix: string;
  readonly from: string;
  readonly to: string;
}

/** The UTC month holding `ms` and the `count - 1` months after it. */
export function monthRanges(ms: number, count: number): MonthRange[] {
  const start = new Date(ms);
  const ranges: MonthRange[] = [];
  for (let i = 0; i < count; i += 1) {
    const from = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
    const month = String(from.getUTCMonth() + 1).padStart(2, '0');
    ranges.push({
      suffix: `y${from.getUTCFullYear()}m${month}`,
      from: from.toISOString(),
      to: to.toISOString(),
    });
  }
  return ranges;
}

/**
 * Creates the monthly partitions from the month of `ms` on, `count` months of them, where
 * missing. Made ahead of time, so rows never land in a DEFAULT partition (which would have to
 * be scanned, under lock, to attach a partition for their month).
 *
 * @returns the end of the last month now covered, in ms
 */
export async function ensureMonthlyPartitions(
  pool: Pool,
  ms: number,
  count: number,
): Promise<number> {
  const months = monthRanges(ms, count);
  const wanted = PARTITIONED_TABLES.flatMap((table) =>
    months.map((month) => ({ table, month, name: `${table}_${month.suffix}` })),
  );
  const existing = await pool.query<{ relname: string }>(
    'SELECT relname FROM pg_class WHERE relname = ANY($1::text[])',
    [wanted.map((w) => w.name)],
  );
  const present = new Set(existing.rows.map((row) => row.relname));
  const missing = wanted.filter((w) => !present.has(w.name));
  if (missing.length > 0) {
    await withConnection(pool, async (client) => {
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
        for (const { table, month, name } of missing) {
          await client.query(
            `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table}
               FOR VALUES FROM ('${month.from}') TO ('${month.to}')`,
          );
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }
  return Date.parse(months.at(-1)?.to ?? new Date(ms).toISOString());
}
