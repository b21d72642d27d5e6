import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, generateSigner } from '@declog/core';
import { killChildProcesses } from './helpers/child-processes.js';
import { freePort } from './helpers/free-port.js';
import { ingestOk, request } from './helpers/http-api.js';
import { chainEvents } from './helpers/ledger-db.js';
import {
  buildLedger,
  copyStore,
  ingestInto,
  storedBody,
  storedSetting,
  withStoreSql,
} from './helpers/ledger-store.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, testStore, type TestStore } from './helpers/test-store.js';

const tmp = useTempDir('verify-remote');
afterAll(killChildProcesses);

/** A signed log of 150 entries; every server below serves a copy of it (same key and origin). */
let base: TestStore;
let key = '';
let port = 0;
let server: ServerProcess | null = null;
let copies = 0;

beforeAll(async () => {
  base = await testStore(tmp, 'base');
  await buildLedger(base, [150]);
  key = await storedSetting(base, 'verifier_key');
  port = await freePort();
}, 60_000);

afterEach(async () => {
  await server?.stop();
  server = null;
});

/** Serves a fresh copy of the base log on the fixed port, so the state file knows it by URL. */
async function serveCopy(prepare: (db: TestStore) => Promise<void> = async () => {}) {
  const db = await copyStore(base, tmp, `copy-${(copies += 1)}`);
  await prepare(db);
  server = await startServer([...db.args, '--port', String(port)], { cwd: db.cwd });
  return { db, url: server.url };
}

const verify = (url: string, state: string, ...flags: string[]) =>
  runCli(['verify', '--url', url, '--state', state, ...flags]);

/** Waits until the server's latest checkpoint signs at least `size` entries. */
async function checkpointCovering(url: string, size: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const note = (await request<string>(url, '/v1/log/checkpoint')).body;
    if (Number(String(note).split('\n')[1]) >= size) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no checkpoint of size ${size}`);
}

function expectOk(result: CliResult, entries: number): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^ok ${entries} entries, root `));
}

function expectFailure(result: CliResult, code: string): void {
  expect(result.code, result.stdout).toBe(1);
  expect(result.stderr).toContain(`FAILED [${code}]`);
}

describe(`declog verify --url, a server on ${STORE_KIND}`, () => {
  const state = tmp.file('state.json');

  it('trusts the key on first use, then remembers it and reads only new entries', async () => {
    const { url } = await serveCopy();
    const first = await verify(url, state);
    expectOk(first, 150);
    expect(first.stdout).toContain(`TRUSTED ON FIRST USE from ${url}/v1/log/key: ${key}`);
    expect(first.stdout).toContain('downloaded and checked all 150 entries');
    const remembered = JSON.parse(readFileSync(state, 'utf8')) as {
      logs: Record<string, { size: number; key: string; frontier: string[] }>;
    };
    expect(remembered.logs[url]).toMatchObject({ size: 150, key });

    await ingestOk(url, chainEvents(40));
    await checkpointCovering(url, 190);
    const second = await verify(url, state);
    expectOk(second, 190);
    expect(second.stdout).toContain(
      'consistent with the 150 entries verified before; downloaded and checked 40 new entries',
    );
    expect(second.stdout).toContain('key: the key remembered from an earlier run');
    expect(second.stdout).not.toContain('TRUSTED ON FIRST USE');
  });

  it('rejects, with the state file, a tree that shrank', async () => {
    const { url } = await serveCopy();
    const result = await verify(url, state);
    expectFailure(result, 'tree-shrank');
    expect(result.stderr).toMatch(/in seq 150–189\n.*signs 150 entries, fewer than the 190/);
  });

  it('rejects, with the state file, a rewritten history (no consistency proof)', async () => {
    const { url } = await serveCopy((db) => ingestInto(db, chainEvents(60)));
    const result = await verify(url, state);
    expectFailure(result, 'history-rewritten');
    expect(result.stderr).toMatch(/no consistency from size 190 to 210/);
    const fresh = await verify(url, tmp.file('fresh.json'), '--verifier-key', key);
    expectOk(fresh, 210);
  });

  it('keeps the state of the last good run, so a rejected history stays rejected', async () => {
    const saved = JSON.parse(readFileSync(state, 'utf8')) as {
      logs: Record<string, { size: number }>;
    };
    expect(Object.values(saved.logs)[0]?.size).toBe(190);
  });

  it('prints one JSON object with --json, passed or not', async () => {
    const { url } = await serveCopy();
    const own = tmp.file('json-state.json');
    const passed = await verify(url, own, '--verifier-key', key, '--json');
    expect(passed.code, passed.stderr).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({
      ok: true,
      mode: 'url',
      url,
      tenant: 'default',
      log: 'decisions',
      entries: 150,
      verifier_key: key,
      key_source: 'given',
      previous_size: null,
      downloaded: 150,
      pruned: 0,
      remembered_in: own,
    });
    const other = generateSigner(await storedSetting(base, 'origin')).verifierKey;
    const failed = await verify(url, own, '--verifier-key', other, '--json');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('');
    expect(JSON.parse(failed.stdout)).toMatchObject({
      ok: false,
      mode: 'url',
      problem: { code: 'key-changed' },
      downloaded: 0,
    });
  });

  it('rejects another key, and a key other than the remembered one', async () => {
    const { url } = await serveCopy();
    const other = generateSigner(await storedSetting(base, 'origin')).verifierKey;
    const fresh = tmp.file('other-key.json');
    expectFailure(await verify(url, fresh, '--verifier-key', other), 'bad-checkpoint');
    expect(existsSync(fresh)).toBe(false);
    expectOk(await verify(url, fresh, '--verifier-key', key), 150);
    expectFailure(await verify(url, fresh, '--verifier-key', other), 'key-changed');
  });

  it('detects an event edited under the running server', async () => {
    const { db, url } = await serveCopy();
    const edited = canonicalJson({
      ...(JSON.parse(await storedBody(db, 42)) as Record<string, unknown>),
      occurred_at: '2020-02-02T02:02:02Z',
    });
    await withStoreSql(db, (sql) => sql.run('UPDATE events SET body = ? WHERE seq = 42', [edited]));
    const result = await verify(url, tmp.file('edited.json'), '--verifier-key', key);
    expectFailure(result, 'root-mismatch');
    expect(result.stderr).toMatch(/in seq 0–149\n.*do not hash to the signed root of size 150/);
  });

  it('detects a log truncated under the running server, across runs', async () => {
    const { db, url } = await serveCopy();
    const file = tmp.file('truncated.json');
    expectOk(await verify(url, file, '--verifier-key', key), 150);
    // The default tenant's decision log only: its access trail lives in the same database.
    const ofLog = STORE_KIND === 'postgres' ? " AND tenant_id = 'default'" : '';
    await withStoreSql(db, async (sql) => {
      await sql.run(`DELETE FROM events WHERE seq >= 100${ofLog}`);
      await sql.run(`DELETE FROM checkpoints WHERE size > 100${ofLog}`);
      // PostgreSQL keeps the log's length beside it, for sequencing: an attacker cuts it too.
      if (STORE_KIND === 'postgres') {
        await sql.run("UPDATE logs SET size = 100 WHERE tenant_id = 'default'");
      }
    });
    expectFailure(await verify(url, file), 'tree-shrank');
  });

  it('reads back decision chains, and names one that leaves out an event of its decision', async () => {
    const { url } = await serveCopy();
    const all = await verify(
      url,
      tmp.file('chains.json'),
      '--verifier-key',
      key,
      '--chains',
      'all',
    );
    expectOk(all, 150);
    expect(all.stdout).toContain(
      '38 decision chain(s) read back from GET /v1/decisions/{id}?proof=true',
    );
    const some = await verify(
      url,
      tmp.file('chains-3.json'),
      '--verifier-key',
      key,
      '--chains',
      '3',
    );
    expect(some.stdout).toContain('  3 decision chain(s) read back');
    await server?.stop();
    server = null;
    // The outcome at seq 2 belongs to the decision at seq 0, whose chain now leaves it out.
    const hidden = await serveCopy((db) =>
      withStoreSql(db, (sql) =>
        sql.run(
          `UPDATE events SET decision_id = 'elsewhere' WHERE seq = 2${
            STORE_KIND === 'postgres' ? " AND tenant_id = 'default'" : ''
          }`,
        ),
      ),
    );
    const result = await verify(hidden.url, tmp.file('hidden.json'), '--verifier-key', key);
    expectFailure(result, 'bad-chain');
    expect(result.stderr).toMatch(
      /at seq 2\n.*the entry at seq 2 names it, the chain served leaves it out/,
    );
  });

  it('refuses --chains without --url', async () => {
    const result = await runCli(['verify', ...base.args, '--chains', '3'], { cwd: base.cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--chains goes with --url');
  });

  it('refuses --state with --bundle, which has nothing to remember', async () => {
    const result = await runCli(
      ['verify', '--bundle', 'evidence.json', '--verifier-key', 'k', '--state', 'x.json'],
      { cwd: base.cwd },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--state goes with --url, --db or --store, not --bundle');
  });
});
