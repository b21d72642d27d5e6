import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, expandEventText, treeTiles } from '@declog/core';
import Database from 'better-sqlite3';
import { migrateSqlite } from '../packages/server/dist/store/sqlite/sqlite-migrate.js';
import { SQLITE_MIGRATIONS } from '../packages/server/dist/store/sqlite/sqlite-migrations.js';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import { freePort } from './helpers/free-port.js';
import {
  body,
  buildLedgerDb,
  chainEvents,
  copyDb,
  ingest,
  setting,
  signCheckpoint,
  sqliteTestStore,
  withDb,
} from './helpers/ledger-db.js';
import { rebuildStoredTree, rootOfStoredBodies } from './helpers/ledger-store.js';
import { freshPostgresDatabase, withPostgres } from './helpers/postgres.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { runCliOnTty, TTY_AVAILABLE } from './helpers/run-cli-on-tty.js';
import { useTempDir } from './helpers/temp-dir.js';

const tmp = useTempDir('copy');
const EXAMPLE_EVENTS = new URL('../docs/examples/events.ndjson', import.meta.url).pathname;
afterAll(killChildProcesses);

/** The source log: checkpoints at 0, 40 and 65, then 7 entries not signed yet. */
const SOURCE = tmp.file('source.db');
/** The same log as it was at 30 entries: what an interrupted copy leaves behind. */
const PREFIX = tmp.file('prefix.db');
let root = '';
let files = 0;
const newFile = (name: string) => tmp.file(`${(files += 1)}-${name}`);

beforeAll(async () => {
  expect(await buildLedgerDb(SOURCE, [0, 40, 25, 7], { unsignedTail: true })).toEqual([0, 40, 65]);
  root = await rootOfStoredBodies(sqliteTestStore(SOURCE));
  truncatedCopy(SOURCE, PREFIX, 30);
}, 120_000);

/** A copy of a closed SQLite log cut back to its first `size` entries, tree and checkpoints. */
function truncatedCopy(from: string, to: string, size: number): string {
  copyDb(from, to);
  withDb(to, (sql) =>
    sql.exec(`
      DELETE FROM events WHERE seq >= ${size};
      DELETE FROM decisions WHERE seq >= ${size};
      DELETE FROM decision_reasons WHERE seq >= ${size};
      DELETE FROM decision_labels WHERE seq >= ${size};
      DELETE FROM decision_text WHERE rowid >= ${size};
      DELETE FROM checkpoints WHERE size > ${size};`),
  );
  // The tiles of a tree of `size` leaves, each cut to the width it had then.
  withDb(to, (sql) => {
    const stored = new Map(
      (
        sql.prepare('SELECT level, idx, hashes FROM tiles').all() as {
          level: number;
          idx: number;
          hashes: Buffer;
        }[]
      ).map((row) => [`${row.level}/${row.idx}`, row.hashes]),
    );
    sql.prepare('DELETE FROM tiles').run();
    const insert = sql.prepare('INSERT INTO tiles (level, idx, hashes) VALUES (?, ?, ?)');
    for (const tile of treeTiles(size)) {
      const hashes = stored.get(`${tile.level}/${tile.index}`) as Buffer;
      insert.run(tile.level, tile.index, hashes.subarray(0, tile.width * 32));
    }
    sql.prepare("UPDATE settings SET value = ? WHERE key = 'indexed_size'").run(String(size));
  });
  return to;
}

const copy = (from: string, to: string, ...flags: string[]) =>
  runCli(['copy', '--from', from, '--to', to, ...flags]);

/** The default log's line, then any other log's, then what governance came over. */
function expectCopied(result: CliResult, summary: string): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.split('\n')[0]).toBe(summary);
  expect(result.stdout).toMatch(/\ngovernance: \d+ tenants, .* legal holds\n$/);
  expect(result.stderr).toBe('');
}

function expectFailed(result: CliResult, code: string, reason: RegExp): void {
  expect(result.code, result.stdout).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^FAILED \\[${code}\\] `));
  expect(result.stderr).toMatch(reason);
}

/** `declog verify` on a store: its whole report, which must be ok. */
async function verified(...flags: string[]): Promise<string> {
  const result = await runCli(['verify', ...flags]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^ok /);
  return result.stdout;
}

interface StoredBody {
  seq: number;
  body: string;
}

/** A stored row with its event as canonical JSON, however the store keeps it. */
const expanded = (row: StoredBody): StoredBody => ({ ...row, body: expandEventText(row.body) });

/** Everything a SQLite log holds that a copy must carry, as comparable text. */
function sqliteLog(db: string) {
  return withDb(db, (sql) => ({
    bodies: (sql.prepare('SELECT seq, body FROM events ORDER BY seq').all() as StoredBody[]).map(
      expanded,
    ),
    tiles: (
      sql.prepare('SELECT level, idx, hashes FROM tiles ORDER BY level, idx').all() as {
        level: number;
        idx: number;
        hashes: Buffer;
      }[]
    ).map((t) => `${t.level}/${t.idx}/${t.hashes.toString('hex')}`),
    checkpoints: sql
      .prepare('SELECT size, root, note, issued_at FROM checkpoints ORDER BY size')
      .all(),
    // The decision index's own position is not the log's: a copy builds its own index.
    settings: sql
      .prepare("SELECT key, value FROM settings WHERE key <> 'indexed_size' ORDER BY key")
      .all(),
  }));
}

function postgresLog(url: string) {
  return withPostgres(url, async (client) => ({
    bodies: (
      await client.query<{ seq: number; body: string }>(
        'SELECT seq::int, body FROM events ORDER BY seq',
      )
    ).rows.map(expanded),
    checkpoints: (
      await client.query('SELECT size::int, root, note, issued_at FROM checkpoints ORDER BY size')
    ).rows,
    settings: (await client.query('SELECT key, value FROM settings ORDER BY key')).rows,
  }));
}

describe('declog copy between SQLite and PostgreSQL', () => {
  it('moves a SQLite log to PostgreSQL, where verify passes with the same roots', async () => {
    const url = await freshPostgresDatabase();
    expectCopied(
      await copy(`sqlite:${SOURCE}`, url),
      `copied 72 entries (0 already there), 3 checkpoints; root at size 72: ${root}`,
    );
    const here = await verified('--db', SOURCE);
    expect(here).toContain(`ok 72 entries, root ${root}\n`);
    expect(here).toContain('3 signed checkpoint(s) checked');
    expect(await verified('--store', url)).toBe(here);
    // With the key given out of band, not the one the copy carried over.
    await verified('--store', url, '--verifier-key', setting(SOURCE, 'verifier_key'));

    const source = sqliteLog(SOURCE);
    const target = await postgresLog(url);
    expect(target.bodies).toEqual(source.bodies);
    expect(target.checkpoints).toEqual(source.checkpoints);
    expect(target.settings).toEqual(source.settings);
  });

  it('copies back from PostgreSQL byte for byte, and the copy serves with the same key', async () => {
    const url = await freshPostgresDatabase();
    expect((await copy(SOURCE, url)).code).toBe(0);
    const back = newFile('back.db');
    expectCopied(
      await copy(url, back),
      `copied 72 entries (0 already there), 3 checkpoints; root at size 72: ${root}`,
    );
    expect(sqliteLog(back)).toEqual(sqliteLog(SOURCE));

    // Neither key is in the database: the copy takes the source's master key and signing key
    // files (its subject keys are wrapped by that master key).
    copyFileSync(`${SOURCE}.master-key`, `${back}.master-key`);
    await ingest(back, chainEvents(5));
    await signCheckpoint(back, '--signing-key', `${SOURCE}.key`);
    const report = await verified('--db', back, '--verifier-key', setting(SOURCE, 'verifier_key'));
    expect(report).toContain('ok 77 entries');
    expect(report).toContain('4 signed checkpoint(s) checked');
  });

  it('resumes an interrupted copy from the entries already there, in batches', async () => {
    const url = await freshPostgresDatabase();
    const prefixRoot = await rootOfStoredBodies(sqliteTestStore(PREFIX));
    expectCopied(
      await copy(PREFIX, url),
      `copied 30 entries (0 already there), 1 checkpoints; root at size 30: ${prefixRoot}`,
    );
    expectCopied(
      await copy(SOURCE, url, '--batch-size', '7'),
      `copied 42 entries (30 already there), 2 checkpoints (1 already there); root at size 72: ${root}`,
    );
    expectCopied(
      await copy(SOURCE, url),
      `copied 0 entries (72 already there), 0 checkpoints (3 already there); root at size 72: ${root}`,
    );
    expect(await verified('--store', url)).toBe(await verified('--db', SOURCE));
    expect((await postgresLog(url)).bodies).toEqual(sqliteLog(SOURCE).bodies);
  });

  it('resumes into an earlier copy that a server signed a checkpoint on meanwhile', async () => {
    const earlier = truncatedCopy(SOURCE, newFile('signed-prefix.db'), 30);
    await signCheckpoint(earlier); // the source's key, copied beside it
    expectCopied(
      await copy(SOURCE, earlier),
      `copied 42 entries (30 already there), 2 checkpoints (1 already there); root at size 72: ${root}`,
    );
    const report = await verified('--db', earlier);
    expect(report).toContain(`ok 72 entries, root ${root}\n`);
    expect(report).toContain('4 signed checkpoint(s) checked');
  });

  it.runIf(TTY_AVAILABLE)('shows a progress bar on a terminal', async () => {
    const result = await runCliOnTty([
      'copy',
      '--from',
      SOURCE,
      '--to',
      newFile('tty.db'),
      '--batch-size',
      '10',
    ]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/copy \[.*\] 100% \| 72\/72 entries/);
    expect(result.stdout).toContain(`copied 72 entries (0 already there), 3 checkpoints;`);
  });
});

describe('declog copy refuses a target that holds another log', () => {
  /** Copies SOURCE to `target`, which must refuse, and checks that nothing was written. */
  async function expectRefused(target: string, reason: RegExp): Promise<void> {
    const before = sqliteLog(target);
    const result = await copy(SOURCE, target);
    expectFailed(result, 'another-log', reason);
    expect(result.stderr).toMatch(/^FAILED \[another-log\] the target holds another log: /);
    expect(result.stderr).toContain('nothing was written');
    expect(sqliteLog(target)).toEqual(before);
  }

  it('another log altogether', async () => {
    const other = newFile('other.db');
    await buildLedgerDb(other, [10]);
    await expectRefused(
      other,
      new RegExp(
        escape(
          `the target's origin is ${setting(other, 'origin')}, the source's ${setting(SOURCE, 'origin')}`,
        ),
      ),
    );
  });

  it('an empty database a server was started on, which took another identity', async () => {
    const started = newFile('started.db');
    await signCheckpoint(started);
    await expectRefused(started, /origin .*was a server started on it before the copy\?/);
  });

  it('an earlier copy that went on with other entries', async () => {
    const diverged = truncatedCopy(SOURCE, newFile('diverged.db'), 30);
    await ingest(diverged, chainEvents(3));
    await expectRefused(diverged, /holds 33 entries, and its seq 32 differs from the source's/);
  });

  it('an earlier copy with an entry changed before its last one', async () => {
    const edited = truncatedCopy(SOURCE, newFile('edited-prefix.db'), 30);
    const event = JSON.parse(body(edited, 5)) as Record<string, unknown>;
    withDb(edited, (sql) =>
      sql
        .prepare('UPDATE events SET body = ? WHERE seq = 5')
        .run(canonicalJson({ ...event, occurred_at: '2020-02-02T02:02:02Z' })),
    );
    // The last entry is still the source's; the tree, rebuilt to match, tells the edit.
    await rebuildStoredTree(sqliteTestStore(edited));
    await expectRefused(
      edited,
      /the target's 30 entries have the root \S+, the source's first 30 \S+/,
    );
  });

  it("a checkpoint that is not the source's", async () => {
    const altered = truncatedCopy(SOURCE, newFile('altered-checkpoint.db'), 30);
    withDb(altered, (sql) => sql.exec("UPDATE checkpoints SET note = note || 'x' WHERE size = 0"));
    await expectRefused(altered, /the target's checkpoint of size 0 is not the source's/);
  });

  it('more entries than the source holds', async () => {
    const ahead = copyDb(SOURCE, newFile('ahead.db'));
    await ingest(ahead, [decisionEvent(), decisionEvent()]);
    await expectRefused(ahead, /the target holds 74 entries, more than the source's 72/);
  });
});

describe('declog copy --json', () => {
  it('prints the report as one JSON object, copied or not', async () => {
    const target = newFile('json.db');
    const copied = await copy(SOURCE, target, '--json');
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stderr).toBe('');
    const json = JSON.parse(copied.stdout) as Record<string, unknown>;
    const defaultLog = {
      ok: true,
      copied: 72,
      already_there: 0,
      checkpoints_copied: 3,
      checkpoints_already_there: 0,
      size: 72,
      root,
    };
    // The default log at the top, every log under `logs`, then the governance.
    expect(json).toMatchObject(defaultLog);
    expect(json['logs']).toContainEqual({ log: 'default', ...defaultLog });
    expect(json['governance']).toMatchObject({ tenants: expect.any(Number) });
    expect(copied.stdout.trimEnd().split('\n')).toHaveLength(1);

    const other = newFile('json-other.db');
    await buildLedgerDb(other, [10]);
    const refused = await copy(SOURCE, other, '--json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('');
    const report = JSON.parse(refused.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ ok: false, code: 'another-log', copied: 0 });
    expect(report['reason']).toMatch(/^the target holds another log: /);
  });
});

describe('declog copy of a database that holds personal data, on every pair of stores', () => {
  /** A README-like log: sealed decisions, an erased subject, a hold, a policy, a tenant. */
  const PERSONAL = tmp.file('personal.db');
  const MASTER_KEY = `${PERSONAL}.master-key`;
  const COHORT = 'Secret-Cohort-Value';
  /** The source's master key, given to every command once the source has one. */
  const masterKeyEnv = () =>
    existsSync(MASTER_KEY) ? { DECLOG_MASTER_KEY: readFileSync(MASTER_KEY, 'utf8').trim() } : {};
  const cli = async (...args: string[]) => {
    const result = await runCli(args, { env: masterKeyEnv() });
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const file = (name: string, text: string) => {
    const path = tmp.file(name);
    writeFileSync(path, text);
    return path;
  };
  let summary = '';

  beforeAll(async () => {
    const db = ['--db', PERSONAL];
    await cli('ingest', EXAMPLE_EVENTS, ...db);
    const erased = decisionEvent({ subject: { id: 'gone-1' }, cohort: { region: COHORT } });
    await cli(
      'ingest',
      file('erased.ndjson', `${JSON.stringify({ ...erased, id: 'dec-gone' })}\n`),
      ...db,
    );
    await cli('erase', 'gone-1', ...db);
    await cli(
      'holds',
      'place',
      '--kind',
      'subject',
      '--target',
      'applicant-7781',
      '--reason',
      'case-1',
      ...db,
    );
    await cli(
      'retention',
      'policy',
      '--set',
      file('policy.json', '{"personal_data":"P90D"}'),
      ...db,
    );
    await cli(
      'keys',
      'create',
      '--role',
      'producer',
      '--name',
      'prod-acme',
      '--tenant',
      'acme',
      ...db,
    );
    await cli(
      'ingest',
      file('acme.ndjson', `${JSON.stringify(decisionEvent())}\n`),
      ...db,
      '--tenant',
      'acme',
    );
    summary = (await cli('verify', ...db)).split('\n')[0] ?? '';
  }, 120_000);

  /** Everything the copy must carry, read from `target` with the source's master key. */
  async function expectCarried(target: readonly string[]) {
    const audit = await cli('verify', ...target, '--master-key', MASTER_KEY);
    expect(audit.split('\n')[0]).toBe(summary);
    expect(audit).toContain('2 sealed record(s) opened against their commitments');
    expect(await cli('verify', ...target, '--access-log')).toMatch(/^ok \d+ entries/);
    expect(await cli('verify', ...target, '--tenant', 'acme')).toMatch(/^ok 1 entries/);
    const opened = await cli('get', 'dec-0001', ...target, '--json');
    expect(JSON.parse(opened).decision.input.features.income).toBe(52000);
    // The erased subject stays erased: its record is shredded, its key gone.
    expect(await cli('get', 'dec-gone', ...target, '--json')).not.toContain(COHORT);
    const refusal = await runCli(['erase', 'gone-1', ...target], { env: masterKeyEnv() });
    expect(refusal.stdout + refusal.stderr).toMatch(/already erased|key destroyed: no/);
    expect(await cli('holds', 'list', ...target)).toContain('applicant-7781');
    expect(await cli('retention', 'policy', ...target)).toContain('"personal_data": "P90D"');
    expect(await cli('keys', 'list', ...target)).toContain('prod-acme');
  }

  it('SQLite to SQLite: the copy verifies, opens and keeps every erasure, hold and key', async () => {
    const first = newFile('personal-copy.db');
    const copied = await copy(PERSONAL, first);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/^copied 5 entries \(0 already there\)/);
    expect(copied.stdout).toMatch(/^default\/access: copied \d+ entries/m);
    expect(copied.stdout).toMatch(/^acme: copied 1 entries/m);
    expect(copied.stdout).toContain(
      'governance: 1 tenants, 1 API keys, 2 tenant settings, 1 subject keys, 1 erased subjects, 1 legal holds\n',
    );
    await expectCarried(['--db', first]);
  }, 180_000);

  it('SQLite to PostgreSQL and back, and again: nothing left to copy', async () => {
    const url = await freshPostgresDatabase();
    expect((await copy(PERSONAL, url)).code).toBe(0);
    await expectCarried(['--store', url]);
    const back = newFile('personal-back.db');
    expect((await copy(url, back)).code).toBe(0);
    // Run again (before anything is done on the copy), it finds everything there.
    const again = await copy(url, back);
    expect(again.stdout).toMatch(/^copied 0 entries \(5 already there\)/);
    await expectCarried(['--db', back]);
  }, 240_000);

  it('refuses a target with another master key, and leaves it as it was', async () => {
    const target = newFile('other-master-key.db');
    const empty = file('empty.ndjson', '');
    expect((await runCli(['ingest', empty, '--db', target, '--no-sign'])).code).toBe(0);
    const before = sqliteLog(target);
    const result = await copy(PERSONAL, target);
    expectFailed(result, 'another-log', /the target's master key is \S+, the source's \S+/);
    expect(sqliteLog(target)).toEqual(before);
  });
});

describe('declog copy stops at a damaged source', () => {
  it('an edited event: names its seq; an earlier copy keeps what came before, not the bad batch', async () => {
    const damaged = copyDb(SOURCE, newFile('damaged.db'));
    const event = JSON.parse(body(damaged, 57)) as Record<string, unknown>;
    withDb(damaged, (sql) =>
      sql
        .prepare('UPDATE events SET body = ? WHERE seq = 57')
        .run(canonicalJson({ ...event, occurred_at: '2020-02-02T02:02:02Z' })),
    );
    const target = copyDb(PREFIX, newFile('from-damaged.db'));
    const result = await copy(damaged, target, '--batch-size', '10');
    expectFailed(
      result,
      'damaged-source',
      /seq 57: the stored event no longer hashes to its stored leaf hash/,
    );
    expect(result.stderr).toContain(`run declog verify --store ${damaged}; 20 entries were copied`);
    expect(await verified('--db', target)).toContain('ok 50 entries');
  });

  it('an event that is not stored as canonical JSON; the target the copy made is removed', async () => {
    const damaged = copyDb(SOURCE, newFile('spaced.db'));
    const spaced = JSON.stringify(JSON.parse(body(damaged, 12)), null, 1);
    withDb(damaged, (sql) => sql.prepare('UPDATE events SET body = ? WHERE seq = 12').run(spaced));
    const target = newFile('from-spaced.db');
    const result = await copy(damaged, target, '--batch-size', '10');
    expectFailed(result, 'damaged-source', /seq 12: the stored bytes are not the canonical JSON/);
    expect(result.stderr).toContain('the target this copy created was removed');
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}-wal`)).toBe(false);
    // Not claimed by the damaged log: another log copies into it.
    expectCopied(
      await copy(SOURCE, target),
      `copied 72 entries (0 already there), 3 checkpoints; root at size 72: ${root}`,
    );
  });
});

describe.concurrent('declog copy with bad locations', () => {
  async function expectError(result: CliResult, message: string): Promise<void> {
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`declog: ${message}\n`);
  }

  it('an unknown kind of store, on either side', async () => {
    await expectError(
      await copy('mysql://db/log', newFile('never.db')),
      '--from mysql://db/log: unsupported store mysql://db/log; use sqlite:PATH or postgres://…',
    );
    await expectError(
      await copy(SOURCE, 'sqlite:'),
      '--to sqlite:: sqlite: needs a path, e.g. sqlite:./declog.db',
    );
  });

  it('a missing source file, without creating the target', async () => {
    const missing = tmp.file('missing.db');
    const target = newFile('not-created.db');
    await expectError(
      await copy(missing, target),
      `--from ${missing}: no declog database at ${missing}`,
    );
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('a source that is not a declog database', async () => {
    const text = newFile('notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough\n'.repeat(20));
    await expectError(await copy(text, newFile('t.db')), `--from ${text}: file is not a database`);
    const url = await freshPostgresDatabase();
    await expectError(await copy(url, newFile('t.db')), `--from ${url}: holds no declog log`);
  });

  it('a source of an older schema, and an empty one', async () => {
    const old = newFile('old.db');
    // The schema of a declog that knew migration 1 only.
    const db = new Database(old);
    db.pragma('journal_mode = WAL');
    migrateSqlite(db, SQLITE_MIGRATIONS.slice(0, 1));
    db.close();
    const latest = SQLITE_MIGRATIONS.at(-1)?.version;
    await expectError(
      await copy(old, newFile('t.db')),
      `--from ${old}: its schema version 1 is older than this declog's (${latest}); run declog migrate --store ${old} first`,
    );
    const empty = newFile('empty.db');
    expect((await runCli(['migrate', '--db', empty])).code).toBe(0);
    const result = await copy(empty, newFile('t.db'));
    expectFailed(result, 'empty-source', /the source holds no log\n {2}nothing to copy\n$/);
  });

  it('a target that cannot be opened or reached', async () => {
    const nowhere = tmp.file('no/such/dir/log.db');
    const result = await copy(SOURCE, nowhere);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^declog: --to ${escape(nowhere)}: .*directory does not exist`),
    );
    const url = `postgres://declog@127.0.0.1:${await freePort()}/declog`;
    const unreachable = await copy(SOURCE, url);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^declog: --to postgres:\/\/declog@127\.0\.0\.1:\d+\/declog: the database is unavailable \(.*ECONNREFUSED.*\); retry \[store_unavailable\]\n$/,
    );
  });

  it('the same database on both sides, however it is written', async () => {
    await expectError(
      await copy(SOURCE, `sqlite:${SOURCE}`),
      `--from and --to name the same database (${SOURCE})`,
    );
    const url = await freshPostgresDatabase();
    const withPassword = url.replace('postgres://postgres@', 'postgres://postgres:secret@');
    await expectError(
      await copy(url, withPassword),
      `--from and --to name the same database (${withPassword.replace('secret', '***')})`,
    );
  });

  it('no --to, and a bad --batch-size', async () => {
    const missing = await runCli(['copy', '--from', SOURCE]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--to <location>' not specified");
    const bad = await copy(SOURCE, newFile('t.db'), '--batch-size', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must be an integer from 1 to 10000');
  });

  it('says in --help that the signing key is not copied', async () => {
    const help = await runCli(['copy', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('The signing key is not in the database');
    expect(help.stdout).toMatch(/--signing-key/);
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
