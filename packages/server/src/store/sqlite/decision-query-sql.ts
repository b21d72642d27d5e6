import type { Cursor, DecisionFilter, DecisionPageRequest } from '@declog/core';

/**
 * The most decisions one page looks at when it filters on more than time, model and version,
 * or subject (reasons, labels, words, action kinds, outcome statuses): a read runs to its end
 * on the serving thread, and a filter that matches little would otherwise make it look at the
 * whole log. A page that ends here holds fewer than `limit` decisions, possibly none, and its
 * cursor goes on from the last decision it looked at.
 */
export const DECISION_SCAN_WINDOW = 5_000;

/**
 * The widest range of seqs whose full-text index one page reads: twice the window, for logs
 * whose decisions arrive a little out of `occurred_at` order. A window whose decisions lie
 * further apart (a decision dated far from its arrival) is cut short where they do.
 */
export const DECISION_TEXT_SPAN = 2 * DECISION_SCAN_WINDOW;

interface Sql {
  readonly sql: string;
  readonly params: unknown[];
}

/** Where a windowed page's look ends: its last decision, and the seqs the window spans. */
export interface PageWindow {
  /** The last decision the page may look at; null when the window reaches the end. */
  readonly end: Cursor | null;
  /** The lowest and highest seq of the decisions in the window. */
  readonly seqs: readonly [low: number, high: number];
  /** The log's size (its next seq). */
  readonly logSize: number;
}

/**
 * How one page of decisions is read, newest first. Filters on time, model and version, or
 * subject follow an index (`drive`); any other (`probe`) is checked decision by decision, and
 * then the page first lists the candidates the drive gives (`candidates`, at most the window
 * and one more), and reads only as far as the window goes (`page`).
 */
export interface DecisionQueryPlan {
  /** Null when the index alone filters: the page then stops at its `limit`, looking no further. */
  readonly candidates: Sql | null;
  /** The page's keys and bodies, one row more than the page. */
  page(window: PageWindow | null): Sql;
}

export function decisionQueryPlan(
  filter: DecisionFilter,
  page: DecisionPageRequest,
  /** The log's table prefix ('' for the default log). */
  prefix = '',
): DecisionQueryPlan {
  const p = prefix;
  const drive = new Conditions();
  const probe = new Conditions();
  // One index leads: the subject's, else the model's (and its version's), else time's.
  if (filter.subject !== undefined) {
    drive.add('d.subject = ?', filter.subject);
    if (filter.model !== undefined) probe.add('d.model = ?', filter.model);
    if (filter.modelVersion !== undefined) probe.add('d.model_version = ?', filter.modelVersion);
  } else if (filter.model !== undefined) {
    drive.add('d.model = ?', filter.model);
    if (filter.modelVersion !== undefined) drive.add('d.model_version = ?', filter.modelVersion);
  } else if (filter.modelVersion !== undefined) {
    probe.add('d.model_version = ?', filter.modelVersion);
  }
  if (filter.fromMs !== undefined) drive.add('d.occurred_ms >= ?', filter.fromMs);
  if (filter.toMs !== undefined) drive.add('d.occurred_ms < ?', filter.toMs);
  if (page.after) {
    const { occurredMs, seq } = page.after;
    // The first term lets the index start at the cursor; the second settles ties.
    drive.add(
      'd.occurred_ms <= ? AND (d.occurred_ms < ? OR (d.occurred_ms = ? AND d.seq < ?))',
      occurredMs,
      occurredMs,
      occurredMs,
      seq,
    );
  }
  if (filter.reason !== undefined) {
    probe.add(
      `EXISTS (SELECT 1 FROM ${p}decision_reasons r WHERE r.code = ? AND r.seq = d.seq)`,
      filter.reason,
    );
  }
  for (const [key, value] of filter.labels) {
    probe.add(
      `EXISTS (SELECT 1 FROM ${p}decision_labels l WHERE l.key = ? AND l.value = ? AND l.seq = d.seq)`,
      key,
      value,
    );
  }
  const linked = (type: 'action' | 'outcome', kind: string) =>
    probe.add(
      `EXISTS (SELECT 1 FROM ${p}events e, ${p}events x WHERE e.seq = d.seq
         AND x.decision_id = e.id AND x.type = '${type}' AND x.kind = ?)`,
      kind,
    );
  if (filter.actionKind !== undefined) linked('action', filter.actionKind);
  if (filter.outcomeStatus !== undefined) linked('outcome', filter.outcomeStatus);
  const order = 'ORDER BY d.occurred_ms DESC, d.seq DESC';
  const windowed = probe.size > 0 || filter.words.length > 0;
  return {
    candidates: windowed
      ? {
          sql: `SELECT d.seq, d.occurred_ms FROM ${p}decisions d ${drive.where()} ${order} LIMIT ?`,
          params: [...drive.params, DECISION_SCAN_WINDOW + 1],
        }
      : null,
    page(window) {
      const all = new Conditions(drive, probe);
      if (window?.end) {
        const { occurredMs, seq } = window.end;
        all.add(
          'd.occurred_ms >= ? AND (d.occurred_ms > ? OR (d.occurred_ms = ? AND d.seq >= ?))',
          occurredMs,
          occurredMs,
          occurredMs,
          seq,
        );
      }
      if (filter.words.length > 0 && window) {
        const match = filter.words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
        // A common word matches most of the log: only the matches in the window's seqs are
        // wanted. FTS5 reads a word's matches in seq order from either end and does not seek
        // to a seq, so they are read from the end of the log nearer to the window, and no
        // further than the window's span of seqs.
        const [low, high] = window.seqs;
        const fromEnd = window.logSize - 1 - high <= low;
        all.add(
          `d.seq IN (SELECT rowid FROM ${p}decision_text WHERE ${p}decision_text MATCH ?
             AND rowid ${fromEnd ? '<=' : '>='} ? ORDER BY rowid ${fromEnd ? 'DESC' : 'ASC'}
             LIMIT ?)`,
          match,
          fromEnd ? high : low,
          high - low + 1,
        );
      }
      // The page is chosen by its keys alone, and only its own rows' bodies are read.
      return {
        sql: `SELECT e.seq, e.type, e.body, page.occurred_ms
          FROM (SELECT d.seq, d.occurred_ms FROM ${p}decisions d ${all.where()} ${order} LIMIT ?) page
          JOIN ${p}events e ON e.seq = page.seq
          ORDER BY page.occurred_ms DESC, page.seq DESC`,
        params: [...all.params, page.limit + 1],
      };
    },
  };
}

/** SQL conditions joined by AND, with their parameters in order. */
class Conditions {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];
  constructor(...parts: readonly Conditions[]) {
    for (const part of parts) {
      this.conditions.push(...part.conditions);
      this.params.push(...part.params);
    }
  }
  get size(): number {
    return this.conditions.length;
  }
  add(condition: string, ...values: unknown[]): void {
    this.conditions.push(condition);
    this.params.push(...values);
  }
  where(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/**
 * The window of a page that probes: the candidates it may look at (from `candidates`, in page
 * order), at most the window's size, cut where their seqs would span more than the full-text
 * span when words are searched. Null when there is no candidate at all.
 */
export function pageWindow(
  candidates: readonly { readonly seq: number; readonly occurred_ms: number }[],
  words: boolean,
  logSize: number,
): (PageWindow & { readonly examined: number }) | null {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (const candidate of candidates.slice(0, DECISION_SCAN_WINDOW)) {
    const nextLow = Math.min(low, candidate.seq);
    const nextHigh = Math.max(high, candidate.seq);
    if (words && n > 0 && nextHigh - nextLow > DECISION_TEXT_SPAN) break;
    low = nextLow;
    high = nextHigh;
    n += 1;
  }
  const last = candidates[n - 1];
  if (!last) return null;
  return {
    end: n < candidates.length ? { occurredMs: last.occurred_ms, seq: last.seq } : null,
    seqs: [low, high],
    logSize,
    examined: n,
  };
}
