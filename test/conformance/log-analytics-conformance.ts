import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareEvent, validateEvent, type EventStore, type PreparedEvent } from '@declog/core';

/**
 * What every adapter's analyses' reads (LogAnalytics) answer on one small log whose every
 * figure is counted here by hand. Each adapter's test file calls it with a fresh, empty store.
 */
export function describeLogAnalytics(name: string, openEmpty: () => Promise<EventStore>): void {
  describe(`LogAnalytics conformance: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await openEmpty();
      const result = await store.append(EVENTS, '2026-03-05T00:00:00.000Z');
      expect(result.ok).toBe(true);
    });
    afterEach(async () => {
      await store.close();
    });

    const credit = { model: 'credit' };
    const DAY = 86_400_000;

    it('lists model versions with their decisions, time span, actions and outcomes', async () => {
      expect(await store.modelUsage({})).toEqual([
        {
          model: 'credit',
          version: '1',
          decisions: 3,
          firstMs: Date.parse('2026-03-01T10:00:00Z'),
          lastMs: Date.parse('2026-03-02T10:00:00Z'),
          actions: 3,
          outcomes: 3,
        },
        {
          model: 'credit',
          version: '2',
          decisions: 1,
          firstMs: Date.parse('2026-03-02T11:00:00Z'),
          lastMs: Date.parse('2026-03-02T11:00:00Z'),
          actions: 0,
          outcomes: 0,
        },
        {
          model: 'fraud',
          version: '7',
          decisions: 1,
          firstMs: Date.parse('2026-03-01T12:00:00Z'),
          lastMs: Date.parse('2026-03-01T12:00:00Z'),
          actions: 0,
          outcomes: 0,
        },
      ]);
      expect(await store.countDecisions({ ...credit, versions: ['2'] })).toBe(1);
      expect(
        await store.countDecisions({
          ...credit,
          fromMs: Date.parse('2026-03-02T00:00:00Z'),
          toMs: Date.parse('2026-03-02T11:00:00Z'),
        }),
      ).toBe(1);
    });

    it('counts predicted labels, reason codes and action kinds in the database', async () => {
      expect(await store.valueCounts(credit, 'label')).toEqual([
        { value: '0', count: 1 },
        { value: 'approve', count: 2 },
      ]);
      expect(await store.valueCounts(credit, 'reason')).toEqual([
        { value: 'DTI', count: 2 },
        { value: 'INCOME', count: 3 },
      ]);
      expect(await store.valueCounts(credit, 'action')).toEqual([
        { value: 'automated', count: 2 },
        { value: 'escalation', count: 1 },
      ]);
      expect(await store.numericValues(credit, 'score')).toEqual([0.9, 0.2, 0.6]);
      expect(await store.numericValues({ ...credit, versions: ['1'] }, 'confidence')).toEqual([
        0.9, 0.7,
      ]);
    });

    it('reads each decision with its action kinds and latest outcome', async () => {
      const rows = await store.decisionOutcomes({ ...credit, versions: ['1'] });
      expect(rows.map((r) => ({ ...r, actions: [...r.actions].sort() }))).toEqual([
        {
          seq: 0,
          id: 'd1',
          version: '1',
          occurredMs: Date.parse('2026-03-01T10:00:00Z'),
          label: 'approve',
          score: 0.9,
          confidence: 0.9,
          actions: ['automated', 'escalation'],
          outcome: {
            status: 'failure',
            label: 'default',
            occurredMs: Date.parse('2026-03-04T00:00:00Z'),
          },
        },
        {
          seq: 1,
          id: 'd2',
          version: '1',
          occurredMs: Date.parse('2026-03-01T11:00:00Z'),
          label: '0',
          score: 0.2,
          confidence: 0.7,
          actions: ['automated'],
          outcome: {
            status: 'success',
            label: null,
            occurredMs: Date.parse('2026-02-28T00:00:00Z'),
          },
        },
        {
          seq: 2,
          id: 'd3',
          version: '1',
          occurredMs: Date.parse('2026-03-02T10:00:00Z'),
          label: null,
          score: null,
          confidence: null,
          actions: [],
          outcome: null,
        },
      ]);
    });

    it('counts per time bucket for the anomaly charts', async () => {
      const day1 = Date.parse('2026-03-01T00:00:00Z');
      expect(await store.bucketCounts(credit, DAY, { kind: 'volume' })).toEqual([
        { startMs: day1, events: 2, total: 2 },
        { startMs: day1 + DAY, events: 2, total: 2 },
      ]);
      expect(
        await store.bucketCounts(credit, DAY, { kind: 'action', action: 'escalation' }),
      ).toEqual([
        { startMs: day1, events: 1, total: 2 },
        { startMs: day1 + DAY, events: 0, total: 2 },
      ]);
      expect(await store.bucketCounts(credit, DAY, { kind: 'failure' })).toEqual([
        { startMs: day1, events: 1, total: 2 },
        { startMs: day1 + DAY, events: 0, total: 0 },
      ]);
      expect(await store.bucketCounts(credit, DAY, { kind: 'reason', code: 'DTI' })).toEqual([
        { startMs: day1, events: 1, total: 2 },
        { startMs: day1 + DAY, events: 1, total: 2 },
      ]);
    });

    it('counts the fields present and the reason codes each version cites', async () => {
      const [fields] = await store.fieldCounts(credit);
      expect(fields?.model).toBe('credit');
      expect(fields?.decisions).toBe(4);
      // confidence (bit 0): d1, d2, d4; prediction.label (1): d1, d2, d4; score (2): d1, d2, d4.
      expect(fields?.present.slice(0, 3)).toEqual([3, 3, 3]);
      expect(await store.reasonUse(credit)).toEqual([
        { model: 'credit', version: '1', code: 'DTI', decisions: 1 },
        { model: 'credit', version: '1', code: 'INCOME', decisions: 3 },
        { model: 'credit', version: '2', code: 'DTI', decisions: 1 },
      ]);
    });

    it('finds the records a data-quality check names', async () => {
      const now = Date.parse('2026-03-10T00:00:00Z');
      expect(
        await store.qualityCheck({}, { kind: 'orphans', type: 'action', beforeMs: now }, 10),
      ).toEqual({ count: 1, examples: ['a-orphan'] });
      expect(
        await store.qualityCheck({}, { kind: 'orphans', type: 'outcome', beforeMs: now }, 10),
      ).toEqual({ count: 0, examples: [] });
      expect(
        await store.qualityCheck(credit, { kind: 'without_action', beforeMs: now }, 10),
      ).toEqual({ count: 2, examples: ['d3', 'd4'] });
      expect(
        await store.qualityCheck(credit, { kind: 'without_action', beforeMs: now }, 1),
      ).toEqual({ count: 2, examples: ['d3'] });
      expect(
        await store.qualityCheck(credit, { kind: 'without_outcome', beforeMs: now }, 10),
      ).toEqual({ count: 2, examples: ['d3', 'd4'] });
      expect(await store.qualityCheck(credit, { kind: 'outcome_before_decision' }, 10)).toEqual({
        count: 1,
        examples: ['o2'],
      });
      expect(
        await store.qualityCheck(credit, { kind: 'citing', codes: ['DTI', 'NOPE'] }, 10),
      ).toEqual({ count: 2, examples: ['d1', 'd4'] });
      expect(await store.qualityCheck({ model: 'fraud' }, { kind: 'decisions' }, 10)).toEqual({
        count: 1,
        examples: ['f1'],
      });
    });

    it('reads the decisions of a scope by seq, as stored', async () => {
      const seqs = await store.decisionSeqs(credit);
      expect(seqs).toEqual([0, 1, 2, 9]);
      const rows = await store.decisionRowsAt([9, 1, 4, 100]);
      expect(rows.map((r) => r.seq)).toEqual([1, 9]);
      expect(JSON.parse(rows[1]?.json ?? '{}')).toMatchObject({ id: 'd4', seq: 9 });
    });

    it('leaves a pruned chain out of every figure', async () => {
      await store.prune({ decisions: ['d1'], seqs: [] }, '2026-03-06T00:00:00Z', 'retention');
      expect(await store.countDecisions(credit)).toBe(3);
      expect(await store.valueCounts(credit, 'action')).toEqual([{ value: 'automated', count: 1 }]);
      const rows = await store.decisionOutcomes(credit);
      expect(rows.map((r) => r.id)).toEqual(['d2', 'd3', 'd4']);
    });
  });
}

let ids = 0;
function prepare(input: unknown): PreparedEvent {
  const result = validateEvent(input);
  if (!result.ok) throw new Error(`invalid test event: ${JSON.stringify(result.issues)}`);
  return prepareEvent(result.event, () => `analytics-${(ids += 1)}`);
}

const decision = (
  id: string,
  at: string,
  version: string,
  prediction: Record<string, unknown>,
  reasons: string[],
  extra: Record<string, unknown> = {},
) =>
  prepare({
    id,
    type: 'decision',
    occurred_at: at,
    model: { name: id.startsWith('f') ? 'fraud' : 'credit', version },
    prediction,
    rationale: { summary: 'why', reasons: reasons.map((code) => ({ code })) },
    ...extra,
  });
const action = (id: string, decisionId: string, kind: string) =>
  prepare({
    id,
    type: 'action',
    decision_id: decisionId,
    occurred_at: '2026-03-03T00:00:00Z',
    action: { kind, name: 'act', actor: { type: 'system', id: 'svc' } },
  });
const outcome = (id: string, decisionId: string, at: string, status: string, label?: string) =>
  prepare({
    id,
    type: 'outcome',
    decision_id: decisionId,
    occurred_at: at,
    outcome: { status, ...(label === undefined ? {} : { label }) },
  });

/** seq 0-3 decisions, then actions, outcomes, an orphan action, a fraud decision, d4. */
const EVENTS: PreparedEvent[] = [
  decision('d1', '2026-03-01T10:00:00Z', '1', { label: 'approve', score: 0.9 }, ['INCOME', 'DTI'], {
    confidence: 0.9,
  }),
  decision('d2', '2026-03-01T11:00:00Z', '1', { label: 0, score: 0.2 }, ['INCOME'], {
    confidence: 0.7,
  }),
  decision('d3', '2026-03-02T10:00:00Z', '1', { value: 3 }, ['INCOME', 'INCOME']),
  action('a1', 'd1', 'automated'),
  action('a2', 'd1', 'escalation'),
  action('a3', 'd2', 'automated'),
  outcome('o1', 'd1', '2026-03-03T00:00:00Z', 'success', 'repaid'),
  // The latest outcome of d1 is this one (by occurred_at), stored later.
  outcome('o3', 'd1', '2026-03-04T00:00:00Z', 'failure', 'default'),
  // Dated before its decision.
  outcome('o2', 'd2', '2026-02-28T00:00:00Z', 'success'),
  decision('d4', '2026-03-02T11:00:00Z', '2', { label: 'approve', score: 0.6 }, ['DTI'], {
    confidence: 0.6,
  }),
  action('a-orphan', 'nobody', 'automated'),
  decision('f1', '2026-03-01T12:00:00Z', '7', { label: 'ok' }, []),
];
