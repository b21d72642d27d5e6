import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { buildIndexedLog, masterKeyOf, type IndexedLog } from './helpers/indexed-log.js';
import type { StoreSql } from './helpers/ledger-store.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, type TestStore } from './helpers/test-store.js';

/**
 * `declog verify` recomputes what the store keeps beside every entry (index columns, decision
 * rows, reason, label and full-text rows, sealed records) from the leaves, and names the seq
 * of any row an edit of the database made disagree: each test edits a copy of one log with SQL.
 */

const tmp = useTempDir('verify-index');
afterAll(killChildProcesses);

const SQLITE = STORE_KIND === 'sqlite';

let base: TestStore;
let seq: (id: string) => number;
let tampered: IndexedLog['tampered'];

beforeAll(async () => {
  const log = await buildIndexedLog(tmp);
  ({ base, seq, tampered } = log);
}, 180_000);

const verify = (store: TestStore, ...flags: string[]) =>
  runCli(['verify', ...store.args, ...flags], { cwd: store.cwd, timeoutMs: 60_000 });

function expectEdited(result: CliResult, at: number | null, what: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stderr).toContain('FAILED [edited-entry]');
  if (at !== null) expect(result.stderr).toContain(`at seq ${at}\n`);
  expect(result.stderr).toMatch(what);
}

describe(`declog verify checks the index of an untouched ${STORE_KIND} log`, () => {
  it('passes, with erasures, a record shredded and a chain pruned by retention', async () => {
    const result = await verify(base);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('2 entries pruned by retention');
    expect(result.stdout).toMatch(/index: .* match its leaf; \d+ sealed record\(s\) checked/);
  });

  it('passes with --master-key, every sealed record opened against its leaf', async () => {
    const result = await verify(base, '--master-key', masterKeyOf(base));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('sealed record(s) opened against their commitments');
  });
});

describe(`declog verify catches an edited index column of ${STORE_KIND}`, () => {
  it("events.id: another decision's id", async () => {
    const db = await tampered((sql) =>
      sql.run("UPDATE events SET id = 'dec-forged' WHERE id = 'dec-other'"),
    );
    expectEdited(await verify(db), seq('dec-other'), /events row's id column holds "dec-forged"/);
  });

  it('events.decision_id: an outcome moved to another chain', async () => {
    const db = await tampered((sql) =>
      sql.run("UPDATE events SET decision_id = 'dec-other' WHERE id = 'out-plain'"),
    );
    expectEdited(await verify(db), seq('out-plain'), /decision_id column holds "dec-other"/);
  });

  it('events.kind', async () => {
    const db = await tampered((sql) =>
      sql.run("UPDATE events SET kind = 'override' WHERE id = 'act-plain'"),
    );
    expectEdited(await verify(db), seq('act-plain'), /kind column holds "override"/);
  });

  it('events.occurred_ms', async () => {
    const db = await tampered((sql) =>
      sql.run('UPDATE events SET occurred_ms = 0 WHERE id = ?', ['ann-plain']),
    );
    expectEdited(await verify(db), seq('ann-plain'), /occurred_ms column holds 0/);
  });

  for (const [column, value] of [
    ['model', 'other-model'],
    ['model_version', '9.9'],
    ['subject', 'someone-else'],
  ] as const) {
    it(`decisions.${column}`, async () => {
      const db = await tampered((sql) =>
        sql.run(`UPDATE decisions SET ${column} = ? WHERE seq = ?`, [value, seq('dec-b')]),
      );
      expectEdited(
        await verify(db),
        seq('dec-b'),
        new RegExp(`decisions row's ${column} column holds "${value}"`),
      );
    });
  }

  it('decisions.occurred_ms', async () => {
    const db = await tampered((sql) =>
      sql.run('UPDATE decisions SET occurred_ms = 1 WHERE seq = ?', [seq('dec-plain')]),
    );
    expectEdited(await verify(db), seq('dec-plain'), /decisions row's occurred_ms column holds 1/);
  });

  it('a deleted decisions row: the decision hidden from queries', async () => {
    const db = await tampered((sql) =>
      sql.run('DELETE FROM decisions WHERE seq = ?', [seq('dec-b')]),
    );
    expectEdited(await verify(db), seq('dec-b'), /decisions row is missing/);
  });

  it('a decisions row for an action', async () => {
    const db = await tampered(async (sql) => {
      const at = seq('act-plain');
      if (SQLITE) {
        await sql.run(
          "INSERT INTO decisions (seq, model, model_version, occurred_ms, subject) VALUES (?, 'm', '1', 0, NULL)",
          [at],
        );
      } else {
        await sql.run(
          `INSERT INTO decisions (tenant_id, seq, recorded_at, model, model_version, occurred_ms, subject, terms)
           SELECT tenant_id, seq, recorded_at, 'm', '1', 0, NULL, '{}' FROM events WHERE seq = ?`,
          [at],
        );
      }
    });
    expectEdited(
      await verify(db),
      seq('act-plain'),
      /a decisions row is kept for it, though it is an action/,
    );
  });

  it('a decisions row for a pruned entry', async () => {
    const at = seq('dec-pruned');
    const db = await tampered(async (sql) => {
      if (SQLITE) {
        await sql.run(
          "INSERT INTO decisions (seq, model, model_version, occurred_ms, subject) VALUES (?, 'm', '1', 0, NULL)",
          [at],
        );
      } else {
        await sql.run(
          "INSERT INTO decisions (tenant_id, seq, recorded_at, model, model_version, occurred_ms, subject, terms) VALUES ('default', ?, now(), 'm', '1', 0, NULL, '{}')",
          [at],
        );
      }
    });
    expectEdited(
      await verify(db),
      at,
      /a decisions row is kept for it, though the entry was pruned/,
    );
  });

  if (!SQLITE) {
    it('events.recorded_at and decisions.recorded_at (PostgreSQL partitions by them)', async () => {
      const db = await tampered(async (sql) => {
        await sql.run("UPDATE decisions SET recorded_at = '2020-01-01T00:00:00Z' WHERE seq = ?", [
          seq('dec-a2'),
        ]);
      });
      expectEdited(await verify(db), seq('dec-a2'), /decisions row's recorded_at column/);
      const events = await tampered((sql) =>
        sql.run("UPDATE events SET recorded_at = '2020-01-01T00:00:00Z' WHERE id = 'out-a1'"),
      );
      expectEdited(await verify(events), seq('out-a1'), /events row's recorded_at column/);
    });

    it('a second decisions row for one seq, in another partition', async () => {
      const db = await tampered((sql) =>
        sql.run(
          `INSERT INTO decisions (tenant_id, seq, recorded_at, model, model_version, occurred_ms, subject, terms)
           SELECT tenant_id, seq, recorded_at - interval '1 second', 'other', model_version, occurred_ms, subject, terms
             FROM decisions WHERE seq = ?`,
          [seq('dec-plain')],
        ),
      );
      expectEdited(await verify(db), seq('dec-plain'), /2 decisions rows are kept for it/);
    });
  }
});

/** Edits of the sets kept per decision, in each store's own layout. */
const setEdits = SQLITE
  ? {
      reasonRemoved: (at: number) =>
        ["DELETE FROM decision_reasons WHERE seq = ? AND code = 'tenure_long'", [at]] as const,
      reasonAdded: (at: number) =>
        ["INSERT INTO decision_reasons (code, seq) VALUES ('fraud_flag', ?)", [at]] as const,
      labelChanged: (at: number) =>
        ["UPDATE decision_labels SET value = 'ops' WHERE seq = ? AND key = 'team'", [at]] as const,
      labelAdded: (at: number) =>
        ["INSERT INTO decision_labels (key, value, seq) VALUES ('vip', 'yes', ?)", [at]] as const,
      wordReplaced: (at: number) =>
        [
          "DELETE FROM decision_text WHERE rowid = ?; INSERT INTO decision_text (rowid, summary) VALUES (?, 'Income ratio well below the threshold')",
          [at, at],
        ] as const,
    }
  : {
      reasonRemoved: (at: number) =>
        [
          "UPDATE decisions SET terms = array_remove(terms, 'r:tenure_long') WHERE seq = ?",
          [at],
        ] as const,
      reasonAdded: (at: number) =>
        ["UPDATE decisions SET terms = terms || 'r:fraud_flag'::text WHERE seq = ?", [at]] as const,
      labelChanged: (at: number) =>
        [
          "UPDATE decisions SET terms = array_replace(terms, 'l:4:team=risk', 'l:4:team=ops') WHERE seq = ?",
          [at],
        ] as const,
      labelAdded: (at: number) =>
        ["UPDATE decisions SET terms = terms || 'l:3:vip=yes'::text WHERE seq = ?", [at]] as const,
      wordReplaced: (at: number) =>
        [
          "UPDATE decisions SET terms = array_replace(terms, 'w:above', 'w:below') WHERE seq = ?",
          [at],
        ] as const,
    };

/** Runs an edit of `setEdits` (SQLite's full-text edit is two statements). */
async function runEdit(sql: StoreSql, [text, params]: readonly [string, readonly unknown[]]) {
  const statements = text.split('; ');
  let offset = 0;
  for (const statement of statements) {
    const count = statement.split('?').length - 1;
    await sql.run(statement, params.slice(offset, offset + count));
    offset += count;
  }
}

describe(`declog verify catches an edited reason, label or full-text row of ${STORE_KIND}`, () => {
  for (const [name, what] of [
    ['reasonRemoved', /its reason row "tenure_long" is missing/],
    ['reasonAdded', /an extra reason row "fraud_flag" is kept for it/],
    ['labelChanged', /label row/],
    ['labelAdded', /an extra label row "\[\\"vip\\",\\"yes\\"\]" is kept for it/],
    ['wordReplaced', /full-text term "(above|below)"/],
  ] as const) {
    it(name, async () => {
      const db = await tampered((sql) => runEdit(sql, setEdits[name](seq('dec-plain'))));
      expectEdited(await verify(db), seq('dec-plain'), what);
    });
  }

  if (SQLITE) {
    it('a deleted full-text row: the decision hidden from searches', async () => {
      const db = await tampered((sql) =>
        sql.run('DELETE FROM decision_text WHERE rowid = ?', [seq('dec-b')]),
      );
      expectEdited(await verify(db), seq('dec-b'), /full-text row is missing/);
    });

    it('a full-text row for a seq with no decision', async () => {
      const db = await tampered((sql) =>
        sql.run("INSERT INTO decision_text (rowid, summary) VALUES (?, 'fraud')", [
          seq('ann-plain'),
        ]),
      );
      expectEdited(
        await verify(db),
        seq('ann-plain'),
        /a full-text row is kept for it, though it is an annotation/,
      );
    });

    it('a reason row for an action', async () => {
      const db = await tampered((sql) =>
        sql.run("INSERT INTO decision_reasons (code, seq) VALUES ('income_ratio', ?)", [
          seq('act-plain'),
        ]),
      );
      expectEdited(
        await verify(db),
        seq('act-plain'),
        /an extra reason row "income_ratio" is kept for it/,
      );
    });

    it('a label row for a pruned entry', async () => {
      const db = await tampered((sql) =>
        sql.run("INSERT INTO decision_labels (key, value, seq) VALUES ('team', 'risk', ?)", [
          seq('dec-pruned'),
        ]),
      );
      expectEdited(await verify(db), seq('dec-pruned'), /an extra label row/);
    });

    it('the full-text row of a decision with words outside ASCII', async () => {
      const at = seq('dec-unicode');
      const db = await tampered(async (sql) => {
        await sql.run('DELETE FROM decision_text WHERE rowid = ?', [at]);
        await sql.run(
          "INSERT INTO decision_text (rowid, summary) VALUES (?, 'Über-Prüfung: café naïve résumé ﬁne ΣΊΣΥΦΟΣ fraud')",
          [at],
        );
      });
      expectEdited(
        await verify(db),
        at,
        /its full-text row holds \d+ term\(s\) but its summary has/,
      );
    });
  }
});

describe(`declog verify catches an edited sealed record of ${STORE_KIND}`, () => {
  // SQLite keeps a sealed record in its event's row (`id`); PostgreSQL in a table of its own.
  const table = SQLITE ? 'events WHERE' : "personal_data WHERE tenant_id = 'default' AND";
  const recordId = SQLITE ? 'id' : 'event_id';

  it('a deleted record: its values would be served as none', async () => {
    const db = await tampered((sql) =>
      sql.run(
        SQLITE
          ? "UPDATE events SET subject = NULL, sealed = NULL WHERE id = 'dec-b'"
          : `DELETE FROM ${table} ${recordId} = 'dec-b'`,
      ),
    );
    expectEdited(
      await verify(db),
      seq('dec-b'),
      /its sealed record is missing, though its subject "subj-b" was not erased/,
    );
  });

  it('a record emptied without the marks of a shredding', async () => {
    const db = await tampered((sql) =>
      sql.run(`UPDATE ${table.replace('WHERE', 'SET sealed = NULL WHERE')} ${recordId} = 'dec-b'`),
    );
    expectEdited(await verify(db), seq('dec-b'), /emptied without being marked shredded/);
  });

  it('a record filed under another subject', async () => {
    const db = await tampered((sql) =>
      sql.run(
        `UPDATE ${table.replace('WHERE', "SET subject = 'subj-b' WHERE")} ${recordId} = 'dec-a1'`,
      ),
    );
    expectEdited(
      await verify(db),
      seq('dec-a1'),
      /filed under subject "subj-b" but the event's subject is "subj-a"/,
    );
  });

  it('a record kept for an event that has none', async () => {
    const db = await tampered(async (sql) => {
      const [record] = await sql.rows<{ sealed: unknown }>(
        `SELECT sealed FROM ${table} ${recordId} = 'dec-a1'`,
      );
      await sql.run(
        SQLITE
          ? "UPDATE events SET subject = 'subj-a', sealed = ? WHERE id = 'dec-other'"
          : `INSERT INTO personal_data (tenant_id, event_id, subject, sealed) VALUES ('default', 'dec-other', 'subj-a', ?)`,
        [record?.sealed],
      );
    });
    expectEdited(
      await verify(db),
      seq('dec-other'),
      /a sealed record is kept for it, though its leaf commits to none/,
    );
  });

  // In SQLite a record lives in its event's row: none can be kept for an id the log lacks.
  if (!SQLITE) {
    it('a record kept for an id that is no event of the log', async () => {
      const db = await tampered(async (sql) => {
        await sql.run(
          `INSERT INTO personal_data (tenant_id, event_id, subject, sealed, shredded_at, shredded_by) VALUES ('default', 'ghost', 'subj-a', NULL, 'x', 'y')`,
        );
      });
      expectEdited(
        await verify(db),
        null,
        /a sealed record is kept for "ghost", which is no event of the log/,
      );
    });
  }

  it('two records of one subject swapped, and an altered byte: caught when opened', async () => {
    const swapped = await tampered(async (sql) => {
      const rows = await sql.rows<{ event_id: string; sealed: unknown }>(
        `SELECT ${recordId} AS event_id, sealed FROM ${table} ${recordId} IN ('dec-a1', 'dec-a2')`,
      );
      const by = new Map(rows.map((row) => [row.event_id, row.sealed]));
      const set = table.replace('WHERE', 'SET sealed = ? WHERE');
      await sql.run(`UPDATE ${set} ${recordId} = 'dec-a1'`, [by.get('dec-a2')]);
      await sql.run(`UPDATE ${set} ${recordId} = 'dec-a2'`, [by.get('dec-a1')]);
    });
    // Without the key a swapped record looks like any other.
    expect((await verify(swapped)).code).toBe(0);
    expectEdited(
      await verify(swapped, '--master-key', masterKeyOf(swapped)),
      seq('dec-a1'),
      /does not open against its leaf's commitment \(undecryptable\)/,
    );

    const altered = await tampered(async (sql) => {
      const [row] = await sql.rows<{ sealed: Buffer | string }>(
        `SELECT sealed FROM ${table} ${recordId} = 'dec-b'`,
      );
      const sealed = row?.sealed;
      const changed =
        typeof sealed === 'string'
          ? sealed.replace(
              /"ciphertext":"(.)/,
              (_, c: string) => `"ciphertext":"${c === 'A' ? 'B' : 'A'}`,
            )
          : Buffer.from(sealed as Buffer).map((b, i) => (i === 40 ? b ^ 1 : b));
      await sql.run(
        `UPDATE ${table.replace('WHERE', 'SET sealed = ? WHERE')} ${recordId} = 'dec-b'`,
        [changed],
      );
    });
    expectEdited(
      await verify(altered, '--master-key', masterKeyOf(altered)),
      seq('dec-b'),
      /does not open against its leaf's commitment/,
    );
  });

  it('a deleted subject key: its records cannot be read', async () => {
    const db = await tampered((sql) =>
      sql.run("DELETE FROM subject_keys WHERE subject = 'subj-b'"),
    );
    expectEdited(
      await verify(db, '--master-key', masterKeyOf(db)),
      seq('dec-b'),
      /subject "subj-b" has no key \(subject_keys\)/,
    );
  });
});

describe(`declog verify on ${STORE_KIND}: the seq named is the first one edited`, () => {
  it('of several edits, the lowest seq', async () => {
    const db = await tampered(async (sql) => {
      await sql.run("UPDATE events SET kind = 'override' WHERE id = 'act-plain'");
      await sql.run('UPDATE decisions SET model = ? WHERE seq = ?', ['x', seq('dec-b')]);
    });
    expectEdited(await verify(db), seq('act-plain'), /kind column/);
  });
});
