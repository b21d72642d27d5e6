import type Database from 'better-sqlite3';
import type { LogAnalytics } from '@declog/core';
import { analyticsReads } from '../analytics-rows.js';
import { analyticsSql, type Statement } from '../analytics-sql.js';
import type { SqliteLogContext } from './sqlite-log-context.js';

/**
 * The analyses' reads of one log (see analyticsSql): the decision index, the analyses' columns
 * of `decisions` and `outcome_labels`. `indexed` brings the index up to the log first.
 */
export function sqliteLogAnalytics(
  { db, p }: SqliteLogContext,
  indexed: () => void | Promise<void>,
): LogAnalytics {
  const sql = analyticsSql({
    events: `${p}events`,
    decisions: `${p}decisions`,
    placeholder: () => '?',
    inList: (column, placeholder) => `${column} IN (SELECT value FROM json_each(${placeholder}))`,
    listParam: (values) => JSON.stringify(values),
    liveEvent: (alias) => `AND ${alias}.pruned IS NULL`,
    ofDecisions: () => '',
    outcomeLabel: (o) => `(SELECT ol.label FROM ${p}outcome_labels ol WHERE ol.seq = ${o}.seq)`,
    reasonRows: `SELECT seq, code FROM ${p}decision_reasons`,
    joinDistinct: (expr) => `group_concat(DISTINCT ${expr})`,
  });
  // Statements differ by scope; the few shapes a server meets are kept prepared.
  const prepared = new Map<string, Database.Statement<unknown[], Record<string, unknown>>>();
  const statement = (text: string) => {
    let found = prepared.get(text);
    if (!found) {
      found = db.prepare<unknown[], Record<string, unknown>>(text);
      if (prepared.size > 200) prepared.clear();
      prepared.set(text, found);
    }
    return found;
  };
  const rowsAt = db.prepare<[string], { seq: number; body: string }>(
    `SELECT seq, body FROM ${p}events WHERE seq IN (SELECT value FROM json_each(?))
        AND type = 'decision' AND pruned IS NULL ORDER BY seq`,
  );
  return analyticsReads(
    sql,
    async ({ sql: text, params }: Statement) => {
      await indexed();
      return statement(text).all(...params);
    },
    async (seqs) => rowsAt.all(JSON.stringify(seqs)),
  );
}
