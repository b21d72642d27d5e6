import {
  DECISION_FIELDS,
  expandEventText,
  type AnalyticsScope,
  type BucketCount,
  type BucketMetric,
  type CountedValue,
  type CountWithExamples,
  type DecisionOutcomeRow,
  type FieldCounts,
  type LatestOutcome,
  type LogAnalytics,
  type ModelUsage,
  type QualityCheck,
  type ReasonUse,
  type StoredRow,
  type ValueCount,
} from '@declog/core';
import type { AnalyticsSql, Statement } from './analytics-sql.js';

/** Runs a statement (after the decision index is caught up) and gives its rows as objects. */
export type RunAnalytics = (statement: Statement) => Promise<readonly Record<string, unknown>[]>;

/** How many seqs one read of decision rows asks for. */
const ROWS_PER_READ = 5000;

/**
 * LogAnalytics over the SQL of analyticsSql, for an adapter that runs statements (`run`) and
 * reads stored decision rows by seq (`rowsAt`). Numbers are taken with Number(): PostgreSQL
 * gives sums of counts as numeric text.
 */
export function analyticsReads(
  sql: AnalyticsSql,
  run: RunAnalytics,
  rowsAt: (seqs: readonly number[]) => Promise<readonly { seq: number; body: string }[]>,
): LogAnalytics {
  const num = (value: unknown): number => Number(value);
  const numOrNull = (value: unknown): number | null =>
    value === null || value === undefined ? null : Number(value);
  const textOrNull = (value: unknown): string | null =>
    value === null || value === undefined ? null : String(value);
  return {
    async modelUsage(scope: AnalyticsScope): Promise<readonly ModelUsage[]> {
      return (await run(sql.modelUsage(scope))).map((r) => ({
        model: String(r['model']),
        version: String(r['version']),
        decisions: num(r['decisions']),
        firstMs: num(r['firstMs']),
        lastMs: num(r['lastMs']),
        actions: num(r['actions']),
        outcomes: num(r['outcomes']),
      }));
    },
    async countDecisions(scope) {
      const [row] = await run(sql.count(scope));
      return num(row?.['n'] ?? 0);
    },
    async valueCounts(scope: AnalyticsScope, of: CountedValue): Promise<readonly ValueCount[]> {
      return (await run(sql.valueCounts(scope, of))).map((r) => ({
        value: String(r['value']),
        count: num(r['count']),
      }));
    },
    async numericValues(scope, column) {
      return (await run(sql.numericValues(scope, column))).map((r) => num(r['v']));
    },
    async decisionOutcomes(scope): Promise<readonly DecisionOutcomeRow[]> {
      const statements = sql.decisionOutcomes(scope);
      const [decisions, linked] = await Promise.all([
        run(statements.decisions),
        run(statements.linked),
      ]);
      const actions = new Map<string, Set<string>>();
      const latest = new Map<string, { seq: number; outcome: LatestOutcome }>();
      for (const r of linked) {
        const id = String(r['decisionId']);
        if (r['type'] === 'action') {
          let kinds = actions.get(id);
          if (!kinds) actions.set(id, (kinds = new Set()));
          kinds.add(String(r['kind']));
          continue;
        }
        const seq = num(r['seq']);
        const occurredMs = num(r['occurredMs']);
        const held = latest.get(id);
        if (
          held &&
          (held.outcome.occurredMs > occurredMs ||
            (held.outcome.occurredMs === occurredMs && held.seq > seq))
        ) {
          continue;
        }
        latest.set(id, {
          seq,
          outcome: { status: String(r['kind']), label: textOrNull(r['label']), occurredMs },
        });
      }
      return decisions.map((r) => {
        const id = String(r['id']);
        return {
          seq: num(r['seq']),
          id,
          version: String(r['version']),
          occurredMs: num(r['occurredMs']),
          label: textOrNull(r['label']),
          score: numOrNull(r['score']),
          confidence: numOrNull(r['confidence']),
          actions: [...(actions.get(id) ?? [])],
          outcome: latest.get(id)?.outcome ?? null,
        };
      });
    },
    async bucketCounts(
      scope: AnalyticsScope,
      bucketMs: number,
      metric: BucketMetric,
    ): Promise<readonly BucketCount[]> {
      return (await run(sql.bucketCounts(scope, bucketMs, metric))).map((r) => ({
        startMs: num(r['startMs']),
        events: num(r['events']),
        total: num(r['total']),
      }));
    },
    async fieldCounts(scope): Promise<readonly FieldCounts[]> {
      const bits = DECISION_FIELDS.length;
      return (await run(sql.fieldCounts(scope, bits))).map((r) => ({
        model: String(r['model']),
        decisions: num(r['decisions']),
        present: Array.from({ length: bits }, (_, bit) => num(r[`f${bit}`])),
      }));
    },
    async reasonUse(scope): Promise<readonly ReasonUse[]> {
      return (await run(sql.reasonUse(scope))).map((r) => ({
        model: String(r['model']),
        version: String(r['version']),
        code: String(r['code']),
        decisions: num(r['decisions']),
      }));
    },
    async qualityCheck(
      scope: AnalyticsScope,
      check: QualityCheck,
      limit: number,
    ): Promise<CountWithExamples> {
      const { count, examples } = sql.qualityCheck(scope, check, limit);
      const [row] = await run(count);
      const n = num(row?.['n'] ?? 0);
      const ids = n === 0 ? [] : (await run(examples)).map((r) => String(r['id']));
      return { count: n, examples: ids };
    },
    async decisionSeqs(scope) {
      return (await run(sql.decisionSeqs(scope))).map((r) => num(r['seq']));
    },
    async decisionRowsAt(seqs): Promise<readonly StoredRow[]> {
      const out: StoredRow[] = [];
      for (let i = 0; i < seqs.length; i += ROWS_PER_READ) {
        const rows = await rowsAt(seqs.slice(i, i + ROWS_PER_READ));
        for (const row of rows) {
          out.push({ seq: num(row.seq), type: 'decision', json: expandEventText(row.body) });
        }
      }
      return out;
    },
  };
}
