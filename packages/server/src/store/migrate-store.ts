import Database from 'better-sqlite3';
import type { MigrationReport } from './migration.js';
import { parseStoreLocation } from './open-store.js';
import { migratePostgres } from './postgres/postgres-migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres/postgres-migrations.js';
import { asStoreUnavailable } from './postgres/store-unavailable.js';
import { migrateSqlite } from './sqlite/sqlite-migrate.js';
import { SQLITE_MIGRATIONS } from './sqlite/sqlite-migrations.js';
import { createPrivateFile } from './sqlite/create-private-file.js';

/**
 * Applies the schema migrations the database at `location` lacks, without opening a log: what
 * every store does on open, for operators who upgrade the schema ahead of the servers. Safe
 * beside servers starting on the same database (see migrateSqlite and migratePostgres). A
 * SQLite file is created if missing.
 *
 * @example await migrateStore('postgres://declog@db.internal/declog') // { applied: [1], version: 1 }
 */
export async function migrateStore(location: string): Promise<MigrationReport> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    // Loaded only here, as by open-store: SQLite commands start without the driver.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: parsed.url,
      max: 1,
      application_name: 'declog migrate',
    });
    pool.on('error', () => undefined);
    try {
      return await migratePostgres(pool, POSTGRES_MIGRATIONS);
    } catch (error) {
      throw asStoreUnavailable(error);
    } finally {
      await pool.end();
    }
  }
  createPrivateFile(parsed.path);
  const db = new Database(parsed.path);
  try {
    db.pragma('busy_timeout = 10000');
    // As a store would leave a new file, so that servers and readers find it the same way.
    db.pragma('journal_mode = WAL');
    return migrateSqlite(db, SQLITE_MIGRATIONS);
  } finally {
    db.close();
  }
}
