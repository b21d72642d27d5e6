import type { Pool, PoolClient } from 'pg';
import { newerSchemaError, type Migration, type MigrationReport } from '../migration.js';
import { withConnection } from './with-connection.js';

/** A migration of a PostgreSQL database: its SQL, then (to fill what SQL cannot) code. */
export interface PostgresMigration extends Migration {
  /** Runs in the migration's transaction, after its SQL. */
  readonly apply?: (client: PoolClient) => Promise<void>;
}

/** Any fixed number: the session lock that serialises declog migrations on one database. */
const MIGRATION_LOCK = 0x6465636c; // "decl"

/**
 * Applies the migrations the database lacks, each in its own transaction, while holding a
 * session advisory lock: several servers starting at once apply each migration exactly once,
 * the others wait and then find nothing to do.
 *
 * @returns the versions applied now and the schema version
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly PostgresMigration[],
): Promise<MigrationReport> {
  // On failure the connection is discarded, which ends its session and so releases the lock.
  return withConnection(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.rows.map((row) => row.version));
    const known = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...applied);
    if (newest > known) throw newerSchemaError(newest, known);
    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await migration.apply?.(client);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      appliedNow.push(migration.version);
    }
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return { applied: appliedNow, version: Math.max(newest, ...appliedNow) };
  });
}
