import type { DecisionFilter, DecisionPageRequest } from '@declog/core';

/**
 * SQL for one page of decisions, newest first. Fetches one row more than the page so the caller
 * knows whether a next page exists. Standard SQL but for the full-text match.
 */
export function decisionQuerySql(
  filter: DecisionFilter,
  page: DecisionPageRequest,
  /** The log's table prefix ('' for the default log). */
  prefix = '',
): { sql: string; params: unknown[] } {
  const p = prefix;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (filter.model !== undefined) add('d.model = ?', filter.model);
  if (filter.modelVersion !== undefined) add('d.model_version = ?', filter.modelVersion);
  if (filter.fromMs !== undefined) add('d.occurred_ms >= ?', filter.fromMs);
  if (filter.toMs !== undefined) add('d.occurred_ms < ?', filter.toMs);
  if (filter.subject !== undefined) add('d.subject = ?', filter.subject);
  if (filter.reason !== undefined) {
    add(`d.seq IN (SELECT r.seq FROM ${p}decision_reasons r WHERE r.code = ?)`, filter.reason);
  }
  for (const [key, value] of filter.labels) {
    add(
      `d.seq IN (SELECT l.seq FROM ${p}decision_labels l WHERE l.key = ? AND l.value = ?)`,
      key,
      value,
    );
  }
  if (filter.actionKind !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM ${p}events a WHERE a.decision_id = e.id AND a.type = 'action' AND a.kind = ?)`,
      filter.actionKind,
    );
  }
  if (filter.outcomeStatus !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM ${p}events o WHERE o.decision_id = e.id AND o.type = 'outcome' AND o.kind = ?)`,
      filter.outcomeStatus,
    );
  }
  if (filter.words.length > 0) {
    const match = filter.words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
    add(`d.seq IN (SELECT rowid FROM ${p}decision_text WHERE ${p}decision_text MATCH ?)`, match);
  }
  if (page.after) {
    add(
      '(d.occurred_ms < ? OR (d.occurred_ms = ? AND d.seq < ?))',
      page.after.occurredMs,
      page.after.occurredMs,
      page.after.seq,
    );
  }
  const sql = `SELECT e.seq, e.type, e.body, d.occurred_ms
    FROM ${p}decisions d JOIN ${p}events e ON e.seq = d.seq
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY d.occurred_ms DESC, d.seq DESC
    LIMIT ?`;
  params.push(page.limit + 1);
  return { sql, params };
}
