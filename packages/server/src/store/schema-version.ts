import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { parseStoreLocation } from './open-store.js';
import { POSTGRES_MIGRATIONS } from './postgres/postgres-migrations.js';
import { asStoreUnavailable } from './postgres/store-unavailable.js';
import { SQLITE_MIGRATIONS } from './sqlite/sqlite-migrations.js';

/** The schema version of a database (0: no declog schema), and the latest this declog knows. */
export interface SchemaVersion {
  readonly version: number;
  readonly latest: number;
}

/**
 * Reads the schema version of the database at `location` without changing anything, for
 * commands that must not migrate what they read. Throws if a SQLite file does not exist.
 */
export async function schemaVersion(location: string): Promise<SchemaVersion> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    // Loaded only here, as by open-store: SQLite commands start without the driver.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: parsed.url, application_name: 'declog' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const table = await client.query<{ found: string | null }>(
        "SELECT to_regclass('schema_migrations')::text AS found",
      );
      const result = table.rows[0]?.found
        ? await client.query<{ version: number | null }>(
            'SELECT max(version) AS version FROM schema_migrations',
          )
        : undefined;
      return { version: result?.rows[0]?.version ?? 0, latest: latestOf(POSTGRES_MIGRATIONS) };
    } catch (error) {
      throw asStoreUnavailable(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (!existsSync(parsed.path)) throw new Error(`no declog database at ${parsed.path}`);
  const db = new Database(parsed.path, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    const row = table
      ? db
          .prepare<[], { version: number | null }>(
            'SELECT max(version) AS version FROM schema_migrations',
          )
          .get()
      : undefined;
    return { version: row?.version ?? 0, latest: latestOf(SQLITE_MIGRATIONS) };
  } finally {
    db.close();
  }
}

const latestOf = (migrations: readonly { readonly version: number }[]) =>
  migrations.at(-1)?.version ?? 0;
