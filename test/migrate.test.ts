import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { freePort } from './helpers/free-port.js';
import { withDb } from './helpers/ledger-db.js';
import { freshPostgresDatabase, withPostgres } from './helpers/postgres.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import Database from 'better-sqlite3';
import { migrateSqlite } from '../packages/server/dist/store/sqlite/sqlite-migrate.js';
import { SQLITE_MIGRATIONS } from '../packages/server/dist/store/sqlite/sqlite-migrations.js';
import { POSTGRES_MIGRATIONS } from '../packages/server/dist/store/postgres/postgres-migrations.js';

const tmp = useTempDir('migrate');
afterAll(killChildProcesses);

const SQLITE_VERSIONS = SQLITE_MIGRATIONS.map((m) => m.version);
const POSTGRES_VERSIONS = POSTGRES_MIGRATIONS.map((m) => m.version);
const SQLITE_LATEST = SQLITE_VERSIONS.at(-1) as number;
const POSTGRES_LATEST = POSTGRES_VERSIONS.at(-1) as number;
const APPLIED_ALL_SQLITE = `applied migrations ${SQLITE_VERSIONS.join(', ')}; schema version ${SQLITE_LATEST}\n`;
const APPLIED_ALL_POSTGRES = `applied migrations ${POSTGRES_VERSIONS.join(', ')}; schema version ${POSTGRES_LATEST}\n`;

function expectOk(result: CliResult, stdout: string): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe(stdout);
  expect(result.stderr).toBe('');
}

const sqliteVersions = (db: string) =>
  withDb(db, (sql) =>
    (
      sql.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
        version: number;
      }[]
    ).map((row) => row.version),
  );

const postgresVersions = (url: string) =>
  withPostgres(url, async (client) =>
    (
      await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      )
    ).rows.map((row) => row.version),
  );

describe.concurrent('declog migrate on SQLite', () => {
  it('creates and migrates a new file, then finds nothing to do', async () => {
    const db = tmp.file('new.db');
    expectOk(await runCli(['migrate', '--db', db]), APPLIED_ALL_SQLITE);
    expect(sqliteVersions(db)).toEqual(SQLITE_VERSIONS);
    expect(withDb(db, (sql) => sql.pragma('journal_mode', { simple: true }))).toBe('wal');
    expectOk(
      await runCli(['migrate', '--store', `sqlite:${db}`]),
      `schema up to date (version ${SQLITE_LATEST})\n`,
    );
  });

  it('prints what it did as JSON with --json', async () => {
    const db = tmp.file('json.db');
    expectOk(
      await runCli(['migrate', '--db', db, '--json']),
      `${JSON.stringify({ applied: SQLITE_VERSIONS, version: SQLITE_LATEST })}\n`,
    );
    expectOk(
      await runCli(['migrate', '--db', db, '--json']),
      `${JSON.stringify({ applied: [], version: SQLITE_LATEST })}\n`,
    );
  });

  it('applies only the migrations a database lacks', async () => {
    const db = tmp.file('version-1.db');
    // The schema of a declog that knew migration 1 only.
    const old = new Database(db);
    old.pragma('journal_mode = WAL');
    migrateSqlite(old, SQLITE_MIGRATIONS.slice(0, 1));
    old.close();
    expectOk(
      await runCli(['migrate', '--db', db]),
      `applied migrations ${SQLITE_VERSIONS.slice(1).join(', ')}; schema version ${SQLITE_LATEST}\n`,
    );
    expect(sqliteVersions(db)).toEqual(SQLITE_VERSIONS);
    const ingest = await runCli(['ingest', '-', '--db', db], { input: '' });
    expect(ingest.code, ingest.stderr).toBe(0);
  });

  it('refuses a database newer than this declog, naming both versions', async () => {
    const db = tmp.file('newer.db');
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    withDb(db, (sql) =>
      sql.exec(
        `INSERT INTO schema_migrations VALUES (${SQLITE_LATEST + 1}, 'from the future', '2030-01-01')`,
      ),
    );
    const result = await runCli(['migrate', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `declog: database schema version ${SQLITE_LATEST + 1} is newer than this declog (${SQLITE_LATEST}); upgrade declog\n`,
    );
  });

  it('migrates ./declog.db by default', async () => {
    const cwd = tmp.file('');
    expectOk(await runCli(['migrate'], { cwd }), APPLIED_ALL_SQLITE);
    expect(existsSync(tmp.file('declog.db'))).toBe(true);
  });

  it('refuses --db together with --store, and a store it does not know', async () => {
    const both = await runCli(['migrate', '--db', tmp.file('x.db'), '--store', 'sqlite:y.db']);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--db.*cannot be used with.*--store/);
    const mysql = await runCli(['migrate', '--store', 'mysql://db/declog']);
    expect(mysql.code).toBe(1);
    expect(mysql.stderr).toContain('unsupported store mysql://db/declog');
  });
  it('keeps a live key name to one key per tenant: later holders of a shared name are renamed', async () => {
    const db = tmp.file('shared-names.db');
    const old = new Database(db);
    old.pragma('journal_mode = WAL');
    const index = SQLITE_MIGRATIONS.findIndex((m) => m.name.startsWith('a live key name'));
    migrateSqlite(old, SQLITE_MIGRATIONS.slice(0, index));
    const insert = old.prepare(
      `INSERT INTO api_keys (id, name, role, tenant, secret_hash, created_at, revoked_at)
       VALUES (?, ?, 'producer', ?, x'00', '2026-01-01T00:00:00Z', ?)`,
    );
    insert.run('k1', 'rev1', 'acme', null);
    insert.run('k2', 'rev1', 'acme', null); // the impostor
    insert.run('k3', 'rev1', 'beta', null); // another tenant: another principal
    insert.run('k4', 'rev1', 'acme', '2026-02-01T00:00:00Z'); // revoked: keeps its name
    insert.run('k5', 'rev1', null, null); // of all tenants: acts in acme too
    old.close();
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    const names = withDb(db, (sql) =>
      sql.prepare('SELECT id, name FROM api_keys ORDER BY id').all(),
    );
    expect(names).toEqual([
      { id: 'k1', name: 'rev1' },
      { id: 'k2', name: 'rev1#k2' },
      { id: 'k3', name: 'rev1' },
      { id: 'k4', name: 'rev1' },
      { id: 'k5', name: 'rev1#k5' },
    ]);
    expect(() =>
      withDb(db, (sql) =>
        sql
          .prepare(
            `INSERT INTO api_keys (id, name, role, tenant, secret_hash, created_at)
             VALUES ('k6', 'rev1', 'producer', 'acme', x'00', '2026-03-01T00:00:00Z')`,
          )
          .run(),
      ),
    ).toThrow(/UNIQUE/);
  });
});

describe.concurrent('declog migrate on PostgreSQL', () => {
  it('keeps a live key name to one key per tenant: later holders of a shared name are renamed', async () => {
    const url = await freshPostgresDatabase();
    const index = POSTGRES_MIGRATIONS.findIndex((m) => m.name.startsWith('a live key name'));
    await withPostgres(url, async (client) => {
      await client.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY,
        name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const migration of POSTGRES_MIGRATIONS.slice(0, index)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      const rows = [
        ['k1', 'rev1', 'acme', null],
        ['k2', 'rev1', 'acme', null],
        ['k3', 'rev1', 'beta', null],
        ['k4', 'rev1', 'acme', '2026-02-01T00:00:00Z'],
        ['k5', 'rev1', null, null],
      ];
      for (const row of rows) {
        await client.query(
          `INSERT INTO api_keys (id, name, role, tenant, secret_hash, created_at, revoked_at)
           VALUES ($1, $2, 'producer', $3, '\\x00', '2026-01-01T00:00:00Z', $4)`,
          row,
        );
      }
    });
    expect((await runCli(['migrate', '--store', url])).code).toBe(0);
    const names = await withPostgres(
      url,
      async (client) => (await client.query('SELECT id, name FROM api_keys ORDER BY id')).rows,
    );
    expect(names).toEqual([
      { id: 'k1', name: 'rev1' },
      { id: 'k2', name: 'rev1#k2' },
      { id: 'k3', name: 'rev1' },
      { id: 'k4', name: 'rev1' },
      { id: 'k5', name: 'rev1#k5' },
    ]);
  });
  it('migrates a new database, then finds nothing to do', async () => {
    const url = await freshPostgresDatabase();
    expectOk(await runCli(['migrate', '--store', url]), APPLIED_ALL_POSTGRES);
    expect(await postgresVersions(url)).toEqual(POSTGRES_VERSIONS);
    expectOk(
      await runCli(['migrate', '--store', url]),
      `schema up to date (version ${POSTGRES_LATEST})\n`,
    );
  });

  it('takes the database from $DECLOG_DATABASE_URL', async () => {
    const url = await freshPostgresDatabase();
    const cwd = tmp.file('');
    const env = { DECLOG_DATABASE_URL: url };
    expectOk(await runCli(['migrate'], { cwd, env }), APPLIED_ALL_POSTGRES);
    expect(await postgresVersions(url)).toEqual(POSTGRES_VERSIONS);
  });

  it('applies each migration once when several run at once on a new database', async () => {
    const url = await freshPostgresDatabase();
    // Started together, the processes could still run one after the other. Here they are held
    // at their first read of the migrations table until all three are waiting, then let go
    // at once: only their own locking keeps them from migrating side by side.
    const gate = new pg.Client({ connectionString: url });
    await gate.connect();
    let results: CliResult[];
    try {
      await gate.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY,
        name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE');
      const running = Promise.all([1, 2, 3].map(() => runCli(['migrate', '--store', url])));
      await until('three migrate processes waiting for a lock', async () => {
        const waiting = await withPostgres(url, (client) =>
          client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
              AND application_name = 'declog migrate' AND wait_event_type = 'Lock'`,
          ),
        );
        return waiting.rows[0]?.n === 3;
      });
      await gate.query('COMMIT');
      results = await running;
    } finally {
      await gate.end();
    }
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(results.map((result) => result.stdout).sort()).toEqual([
      APPLIED_ALL_POSTGRES,
      `schema up to date (version ${POSTGRES_LATEST})\n`,
      `schema up to date (version ${POSTGRES_LATEST})\n`,
    ]);
    expect(await postgresVersions(url)).toEqual(POSTGRES_VERSIONS);
  });

  it('refuses a database newer than this declog, naming both versions', async () => {
    const url = await freshPostgresDatabase();
    expect((await runCli(['migrate', '--store', url])).code).toBe(0);
    await withPostgres(url, (client) =>
      client.query(
        `INSERT INTO schema_migrations (version, name) VALUES (${POSTGRES_LATEST + 1}, 'future')`,
      ),
    );
    const result = await runCli(['migrate', '--store', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `declog: database schema version ${POSTGRES_LATEST + 1} is newer than this declog (${POSTGRES_LATEST}); upgrade declog\n`,
    );
  });

  it('says when the database server cannot be reached', async () => {
    const url = `postgres://declog@127.0.0.1:${await freePort()}/declog`;
    const result = await runCli(['migrate', '--store', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^declog: the database is unavailable \(.*ECONNREFUSED.*\); retry \[store_unavailable\]\n$/,
    );
  });
});

/** Polls an asynchronous condition, as waitFor does a synchronous one. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
