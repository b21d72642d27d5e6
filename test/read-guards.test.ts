import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { request, type ApiErrorBody, type Json } from './helpers/http-api.js';
import { buildIndexedLog, type IndexedLog } from './helpers/indexed-log.js';
import type { StoreSql } from './helpers/ledger-store.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, startServerOn, type TestStore } from './helpers/test-store.js';

/**
 * A read that meets rows a database edit made disagree with their ledger entries answers
 * `store_inconsistent` (409, telling the operator to run `declog verify`), never another
 * event, nor a sealed event without its personal values.
 */

const tmp = useTempDir('read-guards');
afterAll(killChildProcesses);

let log: IndexedLog;
beforeAll(async () => {
  log = await buildIndexedLog(tmp);
}, 180_000);

// SQLite keeps a sealed record in its event's row (`id`); PostgreSQL in a table of its own.
const personalData =
  STORE_KIND === 'sqlite' ? 'events WHERE' : "personal_data WHERE tenant_id = 'default' AND";
const recordId = STORE_KIND === 'sqlite' ? 'id' : 'event_id';
/** Deletes a sealed record: SQLite empties the row's record columns, keeping the event. */
const deleteRecord = (id: string) =>
  STORE_KIND === 'sqlite'
    ? `UPDATE events SET subject = NULL, sealed = NULL WHERE id = '${id}'`
    : `DELETE FROM ${personalData} ${recordId} = '${id}'`;

/** Reads `paths` from a server on `store`, answers in order. */
async function readAll(store: TestStore, paths: readonly string[]) {
  const server = await startServerOn(store);
  try {
    const answers = [];
    for (const path of paths) answers.push(await request<Json>(server.url, path));
    return answers;
  } finally {
    await server.stop();
  }
}

/** Asserts `store_inconsistent` naming the seq, and that no event was served. */
function expectInconsistent(answer: { status: number; body: unknown }, seq: number, what: RegExp) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(409);
  const { error } = answer.body as ApiErrorBody;
  expect(error.code).toBe('store_inconsistent');
  expect(error.message).toContain(`seq ${seq} disagree with its ledger entry`);
  expect(error.message).toContain('declog verify');
  expect(error.message).toMatch(what);
  expect(JSON.stringify(answer.body)).not.toContain('"occurred_at"');
}

async function tamperedReads(edit: (sql: StoreSql) => Promise<void>, paths: readonly string[]) {
  return readAll(await log.tampered(edit), paths);
}

describe(`reads of an edited ${STORE_KIND} index answer store_inconsistent`, () => {
  it("a decision found under another decision's id", async () => {
    const [chain, proven] = await tamperedReads(
      (sql) => sql.run("UPDATE events SET id = 'dec-forged' WHERE id = 'dec-other'"),
      ['/v1/decisions/dec-forged', '/v1/decisions/dec-forged?proof=true'],
    );
    const what = /asked for decision "dec-forged", the entry is decision "dec-other"/;
    expectInconsistent(chain!, log.seq('dec-other'), what);
    expectInconsistent(proven!, log.seq('dec-other'), what);
  });

  it('an outcome moved to another chain', async () => {
    const [chain] = await tamperedReads(
      (sql) => sql.run("UPDATE events SET decision_id = 'dec-other' WHERE id = 'out-plain'"),
      ['/v1/decisions/dec-other'],
    );
    expectInconsistent(chain!, log.seq('out-plain'), /outcome names "dec-plain"/);
  });

  it('an action found under another id, and its decision', async () => {
    const [action] = await tamperedReads(
      (sql) => sql.run("UPDATE events SET id = 'act-forged' WHERE id = 'act-plain'"),
      ['/v1/actions/act-forged'],
    );
    expectInconsistent(action!, log.seq('act-plain'), /asked for "act-forged"/);
  });

  it('a decision listed for a model it does not have', async () => {
    const [page] = await tamperedReads(
      (sql) =>
        sql.run("UPDATE decisions SET model = 'other-model' WHERE seq = ?", [log.seq('dec-b')]),
      ['/v1/decisions?model=other-model'],
    );
    expectInconsistent(page!, log.seq('dec-b'), /listed for its model/);
  });

  it('a decision whose sealed record was deleted: not served as one without personal values', async () => {
    const [chain, page] = await tamperedReads(
      (sql) => sql.run(deleteRecord('dec-b')),
      ['/v1/decisions/dec-b', '/v1/decisions?subject=subj-b'],
    );
    expectInconsistent(chain!, log.seq('dec-b'), /sealed record is missing/);
    expectInconsistent(page!, log.seq('dec-b'), /sealed record is missing/);
  });

  it('records of one subject swapped, emptied, or filed under another subject', async () => {
    const [swapped] = await tamperedReads(
      async (sql) => {
        const rows = await sql.rows<{ event_id: string; sealed: unknown }>(
          `SELECT ${recordId} AS event_id, sealed FROM ${personalData} ${recordId} IN ('dec-a1', 'dec-a2')`,
        );
        const by = new Map(rows.map((row) => [row.event_id, row.sealed]));
        const set = personalData.replace('WHERE', 'SET sealed = ? WHERE');
        await sql.run(`UPDATE ${set} ${recordId} = 'dec-a1'`, [by.get('dec-a2')]);
        await sql.run(`UPDATE ${set} ${recordId} = 'dec-a2'`, [by.get('dec-a1')]);
      },
      ['/v1/decisions/dec-a1'],
    );
    expectInconsistent(swapped!, log.seq('dec-a1'), /does not open against its commitment/);
    const [emptied] = await tamperedReads(
      (sql) =>
        sql.run(
          `UPDATE ${personalData.replace('WHERE', 'SET sealed = NULL WHERE')} ${recordId} = 'dec-b'`,
        ),
      ['/v1/decisions/dec-b'],
    );
    expectInconsistent(emptied!, log.seq('dec-b'), /emptied without a shredding/);
    const [moved] = await tamperedReads(
      (sql) =>
        sql.run(
          `UPDATE ${personalData.replace('WHERE', "SET subject = 'subj-a' WHERE")} ${recordId} = 'dec-b'`,
        ),
      ['/v1/decisions/dec-b'],
    );
    expectInconsistent(moved!, log.seq('dec-b'), /filed under another subject/);
  });

  it('through the CLI on the database too, get and bundle; verify names the edit', async () => {
    const db = await log.tampered((sql) =>
      sql.run("UPDATE events SET id = 'dec-forged' WHERE id = 'dec-other'"),
    );
    for (const command of ['get', 'bundle']) {
      const result = await runCli([command, 'dec-forged', ...db.args], { cwd: db.cwd });
      expect(result.code, command).toBe(1);
      expect(result.stdout, command).toBe('');
      expect(result.stderr, command).toContain('[store_inconsistent]');
      expect(result.stderr, command).toContain('declog verify');
    }
    // ...which names the edit.
    const verified = await runCli(['verify', ...db.args], { cwd: db.cwd });
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(`FAILED [edited-entry] at seq ${log.seq('dec-other')}`);
  });
});

describe(`reads of an untouched ${STORE_KIND} log`, () => {
  it('serve erased, shredded and sealed decisions as before', async () => {
    const [late, shredded, sealed, list] = await readAll(log.base, [
      '/v1/decisions/dec-late',
      '/v1/decisions/dec-shred',
      '/v1/decisions/dec-a1',
      '/v1/decisions?subject=subj-a',
    ]);
    expect(late?.status).toBe(200);
    expect((late?.body['decision'] as Json)['personal']).toMatchObject({ erased: true });
    expect((shredded?.body['decision'] as Json)['personal']).toMatchObject({
      erased: true,
      erased_by: 'retention',
    });
    expect((sealed?.body['decision'] as Json)['input']).toEqual({
      features: { income: 54000, employer: 'Acme Ltd' },
    });
    expect((sealed?.body['outcomes'] as Json[]).map((o) => o['id'])).toEqual(['out-a1']);
    expect((list?.body['items'] as Json[]).map((d) => d['id']).sort()).toEqual([
      'dec-a1',
      'dec-a2',
    ]);
  });
});
