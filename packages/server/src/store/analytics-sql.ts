import type { AnalyticsScope, BucketMetric, CountedValue, QualityCheck } from '@declog/core';

/**
 * The pieces of SQL that differ between the stores, for the analyses' reads. None takes a
 * parameter: a log's rows are told apart by a fixed first parameter (PostgreSQL's `$1`, the
 * log id) or by table names (SQLite's prefix), so that the placeholders of what is built here
 * come in the order of the text, as SQLite's `?` needs.
 */
export interface AnalyticsDialect {
  readonly events: string;
  readonly decisions: string;
  /** The next placeholder, for the `index`-th (0-based) parameter built here. */
  placeholder(index: number): string;
  /** `column IN (list)`, the list given as one parameter (a placeholder). */
  inList(column: string, placeholder: string): string;
  /** A list as `inList` takes it. */
  listParam(values: readonly (string | number)[]): unknown;
  /** Keeps the `events` row `alias` to this log's live rows: `''` or `AND ...`. */
  liveEvent(alias: string): string;
  /** Keeps the `decisions` row `alias` to this log's rows: `''` or `AND ...`. */
  ofDecisions(alias: string): string;
  /** The label of the outcome event `o` (an expression). */
  outcomeLabel(o: string): string;
  /** Rows `(seq, code)`: the reason codes this log's decisions cite (a subquery). */
  readonly reasonRows: string;
  /** The distinct values of `expr` joined by commas (an aggregate). */
  joinDistinct(expr: string): string;
}

export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * The SQL of LogAnalytics, written once for both stores: each adapter runs what this builds.
 * Every statement reads the decision index (`decisions d` with its decision's `events e` row,
 * for the id), and the events that name a decision through the `(decision_id, type, kind)`
 * index.
 */
export function analyticsSql(dialect: AnalyticsDialect) {
  const { events: E, decisions: D } = dialect;

  /** Collects parameters in the order their placeholders are written. */
  const collector = () => {
    const params: unknown[] = [];
    return {
      params,
      add(value: unknown): string {
        params.push(value);
        return dialect.placeholder(params.length - 1);
      },
    };
  };
  type Params = ReturnType<typeof collector>;

  /** `FROM decisions d JOIN events e ... WHERE ...`: the scope's decisions. */
  const scoped = (p: Params, scope: AnalyticsScope, joins = ''): string => {
    const where: string[] = [];
    if (scope.model !== undefined) where.push(`d.model = ${p.add(scope.model)}`);
    if (scope.versions !== undefined && scope.versions.length > 0) {
      where.push(dialect.inList('d.model_version', p.add(dialect.listParam(scope.versions))));
    }
    if (scope.fromMs !== undefined) where.push(`d.occurred_ms >= ${p.add(scope.fromMs)}`);
    if (scope.toMs !== undefined) where.push(`d.occurred_ms < ${p.add(scope.toMs)}`);
    return `FROM ${D} d JOIN ${E} e ON e.seq = d.seq ${dialect.liveEvent('e')} ${joins}
      WHERE 1 = 1 ${dialect.ofDecisions('d')} ${where.map((w) => `AND ${w}`).join(' ')}`;
  };

  /** Whether an event of `type` names the decision `e` (with `extra` conditions). */
  const hasLinked = (type: string, extra = '') =>
    `EXISTS (SELECT 1 FROM ${E} a WHERE a.decision_id = e.id AND a.type = '${type}'
      ${dialect.liveEvent('a')} ${extra})`;

  /** The latest outcome of the decision `e`: its `column` (a scalar subquery). */
  const latestOutcome = (column: string) =>
    `(SELECT o2.${column} FROM ${E} o2 WHERE o2.decision_id = e.id AND o2.type = 'outcome'
      ${dialect.liveEvent('o2')} ORDER BY o2.occurred_ms DESC, o2.seq DESC LIMIT 1)`;

  const flag = (condition: string) => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;

  return {
    modelUsage(scope: AnalyticsScope): Statement {
      const p = collector();
      // The actions and outcomes of each decision, counted in one pass over them.
      const linked = `LEFT JOIN (SELECT a.decision_id AS decision_id,
            sum(${flag("a.type = 'action'")}) AS actions,
            sum(${flag("a.type = 'outcome'")}) AS outcomes
          FROM ${E} a WHERE a.type IN ('action', 'outcome') ${dialect.liveEvent('a')}
          GROUP BY a.decision_id) l ON l.decision_id = e.id`;
      const sql = `SELECT d.model AS model, d.model_version AS version, count(*) AS decisions,
          min(d.occurred_ms) AS "firstMs", max(d.occurred_ms) AS "lastMs",
          coalesce(sum(l.actions), 0) AS actions, coalesce(sum(l.outcomes), 0) AS outcomes
        ${scoped(p, scope, linked)} GROUP BY d.model, d.model_version
        ORDER BY d.model, d.model_version`;
      return { sql, params: p.params };
    },

    count(scope: AnalyticsScope): Statement {
      const p = collector();
      return { sql: `SELECT count(*) AS n ${scoped(p, scope)}`, params: p.params };
    },

    valueCounts(scope: AnalyticsScope, of: CountedValue): Statement {
      const p = collector();
      switch (of) {
        case 'label':
          return {
            sql: `SELECT d.label AS value, count(*) AS count ${scoped(p, scope)}
              AND d.label IS NOT NULL GROUP BY d.label ORDER BY d.label`,
            params: p.params,
          };
        case 'reason':
          return {
            sql: `SELECT r.code AS value, count(*) AS count FROM (${dialect.reasonRows}) r
              JOIN (SELECT d.seq AS seq ${scoped(p, scope)}) s ON s.seq = r.seq
              GROUP BY r.code ORDER BY r.code`,
            params: p.params,
          };
        case 'action':
          return {
            sql: `SELECT a.kind AS value, count(*) AS count
              FROM (SELECT e.id AS id ${scoped(p, scope)}) s
              JOIN ${E} a ON a.decision_id = s.id AND a.type = 'action' ${dialect.liveEvent('a')}
              GROUP BY a.kind ORDER BY a.kind`,
            params: p.params,
          };
      }
    },

    numericValues(scope: AnalyticsScope, column: 'score' | 'confidence'): Statement {
      const p = collector();
      return {
        sql: `SELECT d.${column} AS v ${scoped(p, scope)} AND d.${column} IS NOT NULL
          ORDER BY d.seq`,
        params: p.params,
      };
    },

    /**
     * Two statements, joined by the caller: the scope's decisions (seq, id, version,
     * occurredMs, label, score, confidence), and the actions and outcomes naming them
     * (decisionId, type, seq, kind, occurredMs, label). Set-based: one pass over each, rather
     * than subqueries per decision.
     */
    decisionOutcomes(scope: AnalyticsScope): { decisions: Statement; linked: Statement } {
      const p = collector();
      const decisions = `SELECT d.seq AS seq, e.id AS id, d.model_version AS version,
          d.occurred_ms AS "occurredMs", d.label AS label, d.score AS score,
          d.confidence AS confidence ${scoped(p, scope)} ORDER BY d.seq`;
      const q = collector();
      const linked = `SELECT a.decision_id AS "decisionId", a.type AS type, a.seq AS seq,
          a.kind AS kind, a.occurred_ms AS "occurredMs",
          CASE WHEN a.type = 'outcome' THEN ${dialect.outcomeLabel('a')} END AS label
        FROM ${E} a WHERE a.type IN ('action', 'outcome') ${dialect.liveEvent('a')}
          AND a.decision_id IN (SELECT e.id ${scoped(q, scope)})`;
      return {
        decisions: { sql: decisions, params: p.params },
        linked: { sql: linked, params: q.params },
      };
    },

    bucketCounts(scope: AnalyticsScope, bucketMs: number, metric: BucketMetric): Statement {
      const p = collector();
      let events: string;
      let total = 'count(*)';
      switch (metric.kind) {
        case 'volume':
          events = 'count(*)';
          break;
        case 'action':
          events = `sum(${flag(hasLinked('action', `AND a.kind = ${p.add(metric.action)}`))})`;
          break;
        case 'reason':
          events = `sum(${flag(`EXISTS (SELECT 1 FROM (${dialect.reasonRows}) r
            WHERE r.seq = d.seq AND r.code = ${p.add(metric.code)})`)})`;
          break;
        case 'failure':
          events = `sum(${flag(`${latestOutcome('kind')} = 'failure'`)})`;
          total = `sum(${flag(`${latestOutcome('kind')} IS NOT NULL`)})`;
          break;
      }
      // A whole number of milliseconds (checked by the caller), written as a literal so that
      // the grouping expression is the selected one.
      const width = String(Math.trunc(bucketMs));
      const start = `(d.occurred_ms - (d.occurred_ms % ${width}))`;
      return {
        sql: `SELECT ${start} AS "startMs", ${events} AS events, ${total} AS total
          ${scoped(p, scope)} GROUP BY ${start} ORDER BY ${start}`,
        params: p.params,
      };
    },

    fieldCounts(scope: AnalyticsScope, bits: number): Statement {
      const p = collector();
      const sums = Array.from(
        { length: bits },
        (_, bit) => `sum((d.fields / ${2 ** bit}) % 2) AS f${bit}`,
      );
      return {
        sql: `SELECT d.model AS model, count(*) AS decisions, ${sums.join(', ')}
          ${scoped(p, scope)} GROUP BY d.model ORDER BY d.model`,
        params: p.params,
      };
    },

    reasonUse(scope: AnalyticsScope): Statement {
      const p = collector();
      return {
        sql: `SELECT s.model AS model, s.version AS version, r.code AS code,
            count(*) AS decisions
          FROM (${dialect.reasonRows}) r
          JOIN (SELECT d.seq AS seq, d.model AS model, d.model_version AS version
                ${scoped(p, scope)}) s ON s.seq = r.seq
          GROUP BY s.model, s.version, r.code ORDER BY s.model, s.version, r.code`,
        params: p.params,
      };
    },

    /** Two statements over the same rows: their count, and the ids of the first `limit`. */
    qualityCheck(
      scope: AnalyticsScope,
      check: QualityCheck,
      limit: number,
    ): { readonly count: Statement; readonly examples: Statement } {
      const rows = (p: Params): string => {
        switch (check.kind) {
          case 'orphans': {
            const window = [`x.occurred_ms < ${p.add(check.beforeMs)}`];
            if (scope.fromMs !== undefined) window.push(`x.occurred_ms >= ${p.add(scope.fromMs)}`);
            if (scope.toMs !== undefined) window.push(`x.occurred_ms < ${p.add(scope.toMs)}`);
            return `SELECT x.id AS id, x.seq AS seq FROM ${E} x
              WHERE x.type = '${check.type}' ${dialect.liveEvent('x')}
                AND ${window.join(' AND ')}
                AND NOT EXISTS (SELECT 1 FROM ${E} y WHERE y.id = x.decision_id
                  AND y.type = 'decision' ${dialect.liveEvent('y')})`;
          }
          case 'without_action':
          case 'without_outcome': {
            const type = check.kind === 'without_action' ? 'action' : 'outcome';
            const from = scoped(p, scope);
            return `SELECT e.id AS id, d.seq AS seq ${from}
              AND d.occurred_ms < ${p.add(check.beforeMs)} AND NOT ${hasLinked(type)}`;
          }
          case 'outcome_before_decision': {
            const join = `JOIN ${E} o ON o.decision_id = e.id AND o.type = 'outcome'
              ${dialect.liveEvent('o')}`;
            return `SELECT o.id AS id, o.seq AS seq ${scoped(p, scope, join)}
              AND o.occurred_ms < d.occurred_ms`;
          }
          case 'citing': {
            const from = scoped(p, scope);
            const codes = dialect.inList('r.code', p.add(dialect.listParam(check.codes)));
            return `SELECT e.id AS id, d.seq AS seq ${from}
              AND EXISTS (SELECT 1 FROM (${dialect.reasonRows}) r WHERE r.seq = d.seq AND ${codes})`;
          }
          case 'decisions':
            return `SELECT e.id AS id, d.seq AS seq ${scoped(p, scope)}`;
        }
      };
      const counted = collector();
      const countSql = `SELECT count(*) AS n FROM (${rows(counted)}) q`;
      const listed = collector();
      const listSql = `SELECT id FROM (${rows(listed)}) q ORDER BY seq LIMIT ${Math.trunc(limit)}`;
      return {
        count: { sql: countSql, params: counted.params },
        examples: { sql: listSql, params: listed.params },
      };
    },

    decisionSeqs(scope: AnalyticsScope): Statement {
      const p = collector();
      return { sql: `SELECT d.seq AS seq ${scoped(p, scope)} ORDER BY d.seq`, params: p.params };
    },
  };
}

export type AnalyticsSql = ReturnType<typeof analyticsSql>;
