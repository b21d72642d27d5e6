import { afterAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  decisionEvent,
  outcomeEvent,
  type TestEvent,
} from './helpers/event-factory.js';
import { ingestInto, withStoreSql } from './helpers/ledger-store.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, testStore, type TestStore } from './helpers/test-store.js';

/**
 * The columns the analyses read (a decision's predicted label, score, confidence and the mask
 * of its optional fields; an outcome's label) are written on ingest, and a database stored
 * before they existed gets them from its stored events when it is migrated.
 */

const tmp = useTempDir('analytics-columns');
afterAll(killChildProcesses);

const full = decisionEvent({
  prediction: { label: 1, score: 0.25 },
  confidence: 0.7,
  input: { ref: 's3://in/1', features: { income: 52000 } },
  cohort: { region: 'north' },
});
const bare = decisionEvent({ prediction: { value: { limit: 5000 } } });
delete bare.confidence;
delete bare.labels;
delete bare.subject;
const events: TestEvent[] = [
  full,
  bare,
  actionEvent(full.id as string),
  outcomeEvent(full.id as string, { outcome: { status: 'success', label: true } }),
  outcomeEvent(bare.id as string, { outcome: { status: 'failure' } }),
];

interface DecisionRow {
  label: string | null;
  score: number | null;
  confidence: number | null;
  fields: number | null;
}

// Bits of DECISION_FIELDS: confidence 0, prediction.label 1, prediction.score 2,
// prediction.value 3, rationale.reasons 4, input 7, input.features 8, input.ref 9, subject 11,
// cohort 12, labels 14.
const FULL_FIELDS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 4) | (1 << 7) | (1 << 8) | (1 << 9);
const EXPECTED: DecisionRow[] = [
  {
    label: '1',
    score: 0.25,
    confidence: 0.7,
    fields: FULL_FIELDS | (1 << 11) | (1 << 12) | (1 << 14),
  },
  { label: null, score: null, confidence: null, fields: (1 << 3) | (1 << 4) },
];

const decisionColumns = (store: TestStore) =>
  withStoreSql(store, (sql) =>
    sql.rows<DecisionRow>('SELECT label, score, confidence, fields FROM decisions ORDER BY seq'),
  );

const outcomeLabels = (store: TestStore) =>
  withStoreSql(store, (sql) =>
    STORE_KIND === 'sqlite'
      ? sql.rows<{ seq: number; label: string }>(
          'SELECT seq, label FROM outcome_labels ORDER BY seq',
        )
      : sql.rows<{ seq: number; label: string }>(
          'SELECT seq::int AS seq, outcome_label AS label FROM events WHERE outcome_label IS NOT NULL ORDER BY seq',
        ),
  );

/** Takes the database back to before the analyses' columns (schema 8 on SQLite, 6 on PostgreSQL). */
const unmigrate = (store: TestStore) =>
  withStoreSql(store, async (sql) => {
    if (STORE_KIND === 'sqlite') {
      for (const column of ['label', 'score', 'confidence', 'fields']) {
        await sql.run(`ALTER TABLE decisions DROP COLUMN ${column}`);
      }
      await sql.run('DROP TABLE outcome_labels');
      await sql.run('DELETE FROM schema_migrations WHERE version = 11');
    } else {
      for (const column of ['label', 'score', 'confidence', 'fields']) {
        await sql.run(`ALTER TABLE decisions DROP COLUMN ${column}`);
      }
      await sql.run('ALTER TABLE events DROP COLUMN outcome_label');
      await sql.run('DELETE FROM schema_migrations WHERE version = 9');
    }
  });

describe('the analyses’ columns', () => {
  it('are written on ingest, sealed features and cohort counting as present', async () => {
    const store = await testStore(tmp, 'ingest');
    await ingestInto(store, events);
    // Read through the decision index (which catches up before a query).
    const query = await runCli(['query', '--model', 'credit-scorer', ...store.args], {
      cwd: store.cwd,
    });
    expect(query.code, query.stderr).toBe(0);
    expect(await decisionColumns(store)).toEqual(EXPECTED);
    expect(await outcomeLabels(store)).toEqual([{ seq: 3, label: 'true' }]);
  });

  it('are filled from the stored events when an older database is migrated', async () => {
    const store = await testStore(tmp, 'migrated');
    await ingestInto(store, events);
    await runCli(['query', '--model', 'credit-scorer', ...store.args], { cwd: store.cwd });
    await unmigrate(store);
    const migrated = await runCli(['migrate', ...store.args], { cwd: store.cwd });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/applied migrations (11|9); schema version/);
    expect(await decisionColumns(store)).toEqual(EXPECTED);
    expect(await outcomeLabels(store)).toEqual([{ seq: 3, label: 'true' }]);
    // The index still agrees with the leaves.
    const verify = await runCli(['verify', ...store.args], { cwd: store.cwd });
    expect(verify.stderr).not.toMatch(/column holds/);
  });
});
