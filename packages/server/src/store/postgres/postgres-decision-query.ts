import type { DecisionFilter, DecisionPageRequest } from '@declog/core';
import { filterTerms } from './decision-terms.js';

/**
 * SQL for one page of a tenant's decisions, newest first, fetching one row more than the page
 * so the caller knows whether a next page exists. The same filters as the SQLite store; reason,
 * labels and words are matched as the decision's terms (decision-terms.ts).
 */
export function postgresDecisionQuery(
  tenant: string,
  filter: DecisionFilter,
  page: DecisionPageRequest,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [tenant];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['d.tenant_id = $1'];
  if (filter.model !== undefined) where.push(`d.model = ${param(filter.model)}`);
  if (filter.modelVersion !== undefined) {
    where.push(`d.model_version = ${param(filter.modelVersion)}`);
  }
  if (filter.fromMs !== undefined) where.push(`d.occurred_ms >= ${param(filter.fromMs)}`);
  if (filter.toMs !== undefined) where.push(`d.occurred_ms < ${param(filter.toMs)}`);
  if (filter.subject !== undefined) where.push(`d.subject = ${param(filter.subject)}`);
  const terms = filterTerms(filter);
  if (terms.length > 0) where.push(`d.terms @> ${param(terms)}::text[]`);
  if (filter.actionKind !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM events a WHERE a.tenant_id = e.tenant_id
      AND a.decision_id = e.id AND a.type = 'action' AND a.kind = ${param(filter.actionKind)})`);
  }
  if (filter.outcomeStatus !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM events o WHERE o.tenant_id = e.tenant_id
      AND o.decision_id = e.id AND o.type = 'outcome' AND o.kind = ${param(filter.outcomeStatus)})`);
  }
  if (page.after) {
    const ms = param(page.after.occurredMs);
    where.push(`(d.occurred_ms, d.seq) < (${ms}, ${param(page.after.seq)})`);
  }
  const sql = `SELECT e.seq, e.type, e.body, d.occurred_ms
    FROM decisions d
    JOIN events e ON e.tenant_id = d.tenant_id AND e.seq = d.seq AND e.recorded_at = d.recorded_at
    WHERE ${where.join(' AND ')}
    ORDER BY d.occurred_ms DESC, d.seq DESC
    LIMIT ${param(page.limit + 1)}`;
  if (page.maxBytes === undefined) return { sql, params };
  // Only the rows that begin within the byte budget leave the database server; `fetched`
  // says how many the page query found, so that the caller knows whether more follow.
  const bounded = `SELECT w.seq, w.type, w.body, w.occurred_ms, w.fetched FROM (
      SELECT p.*, count(*) OVER () AS fetched,
        coalesce(sum(octet_length(p.body)) OVER (ORDER BY p.occurred_ms DESC, p.seq DESC
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS bytes_before
      FROM (${sql}) p) w
    WHERE w.bytes_before < ${param(Math.max(1, page.maxBytes))}
    ORDER BY w.occurred_ms DESC, w.seq DESC`;
  return { sql: bounded, params };
}
