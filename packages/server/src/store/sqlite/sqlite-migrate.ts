import type Database from 'better-sqlite3';
import type { Migration } from './sqlite-migrations.js';

/**
 * Applies the migrations a database lacks, each in its own immediate transaction, so two
 * processes opening the same file at once apply each migration exactly once.
 *
 * @returns the versions applied now
 */
export function migrateSqlite(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
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
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    });
    apply.immediate();
  }
  const newest = db
    .prepare<[], { version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    )
    .get();
  const known = migrations.at(-1)?.version ?? 0;
  if ((newest?.version ?? 0) > known) {
    throw new Error(
      `database schema version ${newest?.version} is newer than this declog (${known}); upgrade declog`,
    );
  }
  return applied;
}
