import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { chainEvents } from './helpers/ledger-db.js';
import { idOf, type TestEvent } from './helpers/event-factory.js';
import { withPostgres } from './helpers/postgres.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, testStore, type TestStore } from './helpers/test-store.js';

// Every command that opens a database directly, on the store under test, named by --store
// (or $DECLOG_DATABASE_URL) as well as by --db.

const tmp = useTempDir('cli-store');
afterAll(killChildProcesses);

let store: TestStore;
const events: TestEvent[] = chainEvents(40);
const decisionId = idOf(events[4]!);

const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(args, { cwd: store.cwd, env });

function expectOk(result: CliResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  store = await testStore(tmp, 'log');
  const file = tmp.file('events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  expectOk(await cli(['ingest', file, '--store', store.location]));
});

describe(`commands on ${STORE_KIND} through --store`, () => {
  it('ingests, then reads a chain and lists decisions', async () => {
    const chain = JSON.parse(
      expectOk(await cli(['get', decisionId, '--store', store.location, '--json'])),
    ) as {
      decision: { id: string; seq: number };
      actions: unknown[];
    };
    expect(chain.decision).toMatchObject({ id: decisionId, seq: 4 });
    expect(chain.actions).toHaveLength(1);
    const page = JSON.parse(
      expectOk(await cli(['query', '--store', store.location, '--json'])),
    ) as {
      items: { id: string }[];
    };
    expect(page.items).toHaveLength(10);
  });

  it('takes the store from $DECLOG_DATABASE_URL when no flag names one', async () => {
    const chain = JSON.parse(
      expectOk(await cli(['get', decisionId, '--json'], { DECLOG_DATABASE_URL: store.location })),
    ) as { decision: { id: string } };
    expect(chain.decision.id).toBe(decisionId);
  });

  it('bundles a decision, signing a checkpoint with the log key, and verifies the log', async () => {
    const bundle = JSON.parse(
      expectOk(await cli(['bundle', decisionId, '--store', store.location])),
    ) as {
      tree_size: number;
      verifier_key: string;
      entries: { seq: number }[];
    };
    expect(bundle.tree_size).toBe(40);
    expect(bundle.entries.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    const bundleFile = tmp.file('bundle.json');
    writeFileSync(bundleFile, JSON.stringify(bundle));
    const offline = await cli([
      'verify',
      '--bundle',
      bundleFile,
      '--verifier-key',
      bundle.verifier_key,
    ]);
    expect(expectOk(offline)).toMatch(/^ok/);
    const audit = expectOk(await cli(['verify', '--store', store.location]));
    expect(audit).toMatch(/^ok 40 entries/);
  });

  it('refuses --db together with --store, and an unknown kind of store', async () => {
    const both = await cli(['query', '--db', tmp.file('x.db'), '--store', store.location]);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/--db.*cannot be used with.*--store/);
    const unknown = await cli(['query', '--store', 'mysql://127.0.0.1/log']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unsupported store mysql://127.0.0.1/log');
  });

  it('refuses to read a database that holds no log, and leaves it as it was', async () => {
    const empty = await testStore(tmp, 'empty');
    const result = await cli(['get', decisionId, '--store', empty.location]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no declog (database|log)/);
    if (STORE_KIND === 'sqlite') {
      expect(existsSync(empty.location.slice('sqlite:'.length))).toBe(false);
    } else {
      const tables = await withPostgres(empty.location, (client) =>
        client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"),
      );
      expect(tables.rows[0]).toEqual({ n: 0 });
    }
  });
});
