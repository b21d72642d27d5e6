import type pg from 'pg';
import type { LogAnalytics } from '@declog/core';
import { analyticsReads } from '../analytics-rows.js';
import { analyticsSql, type Statement } from '../analytics-sql.js';
import { asStoreUnavailable } from './store-unavailable.js';

/**
 * The analyses' reads of one tenant's log (see analyticsSql): `$1` is always the log id, and
 * reason codes are the `r:` terms of each decision (decision-terms.ts).
 */
export function postgresLogAnalytics(pool: pg.Pool, logId: string): LogAnalytics {
  const sql = analyticsSql({
    events: 'events',
    decisions: 'decisions',
    placeholder: (index) => `$${index + 2}`,
    inList: (column, placeholder) => `${column} = ANY(${placeholder}::text[])`,
    listParam: (values) => values.map(String),
    liveEvent: (alias) => `AND ${alias}.tenant_id = $1`,
    ofDecisions: (alias) => `AND ${alias}.tenant_id = $1`,
    outcomeLabel: (o) => `${o}.outcome_label`,
    reasonRows: `SELECT rd.seq AS seq, substr(t.term, 3) AS code
      FROM decisions rd CROSS JOIN LATERAL unnest(rd.terms) AS t(term)
      WHERE rd.tenant_id = $1 AND t.term LIKE 'r:%'`,
    joinDistinct: (expr) => `string_agg(DISTINCT ${expr}, ',')`,
  });
  const query = async <R extends pg.QueryResultRow>(text: string, params: unknown[]) => {
    try {
      return (await pool.query<R>(text, params)).rows;
    } catch (error) {
      throw asStoreUnavailable(error);
    }
  };
  return analyticsReads(
    sql,
    ({ sql: text, params }: Statement) => query(text, [logId, ...params]),
    (seqs) =>
      query<{ seq: number; body: string }>(
        `SELECT seq, body FROM events WHERE tenant_id = $1 AND seq = ANY($2::bigint[])
            AND type = 'decision' ORDER BY seq`,
        [logId, seqs],
      ),
  );
}
