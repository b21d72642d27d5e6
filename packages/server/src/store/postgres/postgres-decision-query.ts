import { textWords, type DecisionFilter, type DecisionPageRequest } from '@declog/core';

/**
 * SQL for one page of a tenant's decisions, newest first, fetching one row more than the page
 * so the caller knows whether a next page exists. The same filters as the SQLite store; words
 * are matched against the summary's words as `textWords` splits them, on both sides.
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
  if (filter.reason !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM decision_reasons r
      WHERE r.tenant_id = d.tenant_id AND r.code = ${param(filter.reason)} AND r.seq = d.seq)`);
  }
  for (const [key, value] of filter.labels) {
    where.push(`EXISTS (SELECT 1 FROM decision_labels l WHERE l.tenant_id = d.tenant_id
      AND l.key = ${param(key)} AND l.value = ${param(value)} AND l.seq = d.seq)`);
  }
  if (filter.actionKind !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM events a WHERE a.tenant_id = e.tenant_id
      AND a.decision_id = e.id AND a.type = 'action' AND a.kind = ${param(filter.actionKind)})`);
  }
  if (filter.outcomeStatus !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM events o WHERE o.tenant_id = e.tenant_id
      AND o.decision_id = e.id AND o.type = 'outcome' AND o.kind = ${param(filter.outcomeStatus)})`);
  }
  if (filter.words.length > 0) {
    const words = filter.words.flatMap(textWords);
    where.push(`d.summary_words @> ${param(words)}::text[]`);
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
  return { sql, params };
}
