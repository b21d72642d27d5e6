import type Database from 'better-sqlite3';
import { newerSchemaError, type MigrationReport } from '../migration.js';
import type { SqliteMigration } from './sqlite-migrations.js';

/**
 * Applies the migrations a database lacks, each in its own immediate transaction, so two
 * processes opening the same file at once apply each migration exactly once. A database
 * migrated by a newer declog is refused before anything is applied.
 *
 * @returns the versions applied now and the schema version
 */
export function migrateSqlite(
  db: Database.Database,
  migrations: readonly SqliteMigration[],
): MigrationReport {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const newest = db.prepare<[], { version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  const known = migrations.at(-1)?.version ?? 0;
  const before = newest.get()?.version ?? 0;
  if (before > known) throw newerSchemaError(before, known);
  const isApplied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version)) return;
      db.exec(migration.sql);
      migration.apply?.(db);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    });
    apply.immediate();
  }
  const after = newest.get()?.version ?? 0;
  // Another process may have migrated further meanwhile (a newer declog beside this one).
  if (after > known) throw newerSchemaError(after, known);
  return { applied, version: after };
}
