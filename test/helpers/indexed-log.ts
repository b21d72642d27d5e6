import { join } from 'node:path';
import { expect } from 'vitest';
import { openDatabase } from 'declog';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  outcomeEvent,
  type TestEvent,
} from './event-factory.js';
import {
  copyStore,
  ingestInto,
  signCheckpointOf,
  withStoreSql,
  type StoreSql,
} from './ledger-store.js';
import { runCli } from './run-cli.js';
import type { TempDir } from './temp-dir.js';
import { STORE_KIND, testStore, type TestStore } from './test-store.js';

/**
 * A log whose store keeps every kind of row beside its entries (index columns, decision rows,
 * reasons, labels, full-text rows, sealed records, erased and shredded records, a pruned
 * chain), made with the real CLI, for tests that edit a copy of it with SQL.
 */
export interface IndexedLog {
  readonly base: TestStore;
  /** The seq of an event id of the base log (pruned ones included). */
  seq(id: string): number;
  /** A copy of the base log, edited with `edit`. */
  tampered(edit: (sql: StoreSql) => Promise<void>): Promise<TestStore>;
}

/** A decision whose features and cohort are sealed under the key of `subject`. */
export const sealedDecision = (
  id: string,
  subject: string,
  summary = 'Income covers the instalment',
) =>
  decisionEvent({
    id,
    subject: { id: subject },
    rationale: { summary, reasons: [{ code: 'income_ratio', weight: 0.6 }] },
    input: { features: { income: 54000, employer: 'Acme Ltd' } },
    cohort: { sex: 'F' },
  });

/** The master key file `declog ingest` made beside the log's database. */
export const masterKeyOf = (store: TestStore): string =>
  STORE_KIND === 'sqlite'
    ? `${store.location.slice('sqlite:'.length)}.master-key`
    : join(store.cwd, 'declog-master.key');

export async function buildIndexedLog(tmp: TempDir): Promise<IndexedLog> {
  const base = await testStore(tmp, 'base');
  const events: TestEvent[] = [
    decisionEvent({
      id: 'dec-plain',
      labels: { team: 'risk', region: 'eu' },
      rationale: {
        summary: 'Income ratio well above the threshold',
        reasons: [
          { code: 'income_ratio', weight: 0.6 },
          { code: 'tenure_long', weight: 0.2 },
        ],
      },
    }),
    actionEvent('dec-plain', { id: 'act-plain', kind: 'automated' }),
    outcomeEvent('dec-plain', { id: 'out-plain', status: 'success' }),
    annotationEvent('dec-plain', { id: 'ann-plain' }),
    decisionEvent({ id: 'dec-other', model: { name: 'fraud-screen', version: '2.0' } }),
    sealedDecision('dec-a1', 'subj-a'),
    sealedDecision('dec-a2', 'subj-a', 'Savings cover six months'),
    sealedDecision('dec-b', 'subj-b'),
    decisionEvent({
      id: 'dec-unicode',
      rationale: { summary: 'Über-Prüfung: café naïve résumé ﬁne ΣΊΣΥΦΟΣ', reasons: [] },
    }),
    sealedDecision('dec-gone', 'subj-gone'),
    sealedDecision('dec-pruned', 'subj-p'),
    actionEvent('dec-pruned', { id: 'act-pruned' }),
    sealedDecision('dec-shred', 'subj-s'),
  ];
  await ingestInto(base, events);
  const erased = await runCli(['erase', 'subj-gone', ...base.args], { cwd: base.cwd });
  expect(erased.code, erased.stderr).toBe(0);
  // An event of a subject erased already: sealed under a key thrown away, no record kept.
  await ingestInto(base, [
    sealedDecision('dec-late', 'subj-gone'),
    outcomeEvent('dec-a1', { id: 'out-a1' }),
  ]);
  // What retention does: prune a chain, shred a record by age.
  const database = await openDatabase(base.location);
  try {
    const log = await database.log('default');
    const at = '2026-06-01T00:00:00.000Z';
    expect(await log.prune({ decisions: ['dec-pruned'], seqs: [] }, at, 'retention')).toBe(2);
    expect(await log.shredPersonalData({ ids: ['dec-shred'] }, at, 'retention')).toBe(1);
  } finally {
    await database.close();
  }
  await signCheckpointOf(base);
  const seqs = new Map<string, number>();
  // SQLite keeps a pruned entry's mark in its row of events; PostgreSQL in pruned_entries.
  const tables = base.location.startsWith('postgres') ? ['events', 'pruned_entries'] : ['events'];
  for (const table of tables) {
    const rows = await withStoreSql(base, (sql) =>
      sql.rows<{ seq: number; id: string }>(`SELECT seq, id FROM ${table}`),
    );
    for (const row of rows) seqs.set(row.id, Number(row.seq));
  }
  let copies = 0;
  return {
    base,
    seq(id) {
      const found = seqs.get(id);
      if (found === undefined) throw new Error(`no event ${id}`);
      return found;
    },
    async tampered(edit) {
      const copy = await copyStore(base, tmp, `copy-${(copies += 1)}`);
      await withStoreSql(copy, edit);
      return copy;
    },
  };
}
