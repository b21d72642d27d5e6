import type pg from 'pg';
import {
  labelValue,
  textWords,
  type IndexElement,
  type IndexReader,
  type StoredIndexPage,
  type StoredSealedRecord,
} from '@declog/core';
import { asStoreUnavailable } from './store-unavailable.js';

/**
 * What one log (tenant) of a PostgreSQL database keeps beside its entries, read back for an
 * audit. Everything is keyed by seq, so every set is read by range: a decision's reason codes,
 * labels and summary words are its `terms` array (see decision-terms.ts), read back into them.
 */
export function postgresIndexReader(pool: pg.Pool, logId: string, tenant: string): IndexReader {
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw asStoreUnavailable(error);
    }
  };
  const decisionRows = (from: number, to: number) =>
    query<DecisionRow>(
      `SELECT seq, model, model_version, occurred_ms, subject, recorded_at, terms, label, score,
              confidence, fields FROM decisions
        WHERE tenant_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,
      [logId, from, to],
    );
  return {
    listed: ['reason', 'label', 'text'],
    positionedTerms: false,
    textTerms: textWords,
    async readPage(from, count, eventIds, options = {}): Promise<StoredIndexPage> {
      const content = options.sealedContent === true ? 'sealed' : 'NULL AS sealed';
      const to = from + count;
      const [entries, decisions, sealed] = await Promise.all([
        query<EntryRow>(
          `SELECT seq, id, type, decision_id, kind, occurred_ms, recorded_at, outcome_label FROM events
            WHERE tenant_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,
          [logId, from, to],
        ),
        decisionRows(from, to),
        eventIds.length === 0
          ? []
          : query<SealedRow>(
              `SELECT event_id, subject, sealed IS NOT NULL AS kept, ${content}, shredded_at,
                      shredded_by
                 FROM personal_data WHERE tenant_id = $1 AND event_id = ANY($2::text[])`,
              [logId, eventIds],
            ),
      ]);
      const sets = decisions.map((row) => termElements(row.seq, row.terms));
      return {
        entries: entries.map((row) => ({
          seq: row.seq,
          id: row.id,
          type: row.type,
          decisionId: row.decision_id,
          kind: row.kind,
          occurredMs: row.occurred_ms,
          recordedMs: row.recorded_at.getTime(),
          outcomeLabel: row.outcome_label,
        })),
        decisions: decisions.map((row) => ({
          seq: row.seq,
          model: row.model,
          modelVersion: row.model_version,
          occurredMs: row.occurred_ms,
          subject: row.subject,
          recordedMs: row.recorded_at.getTime(),
          label: row.label,
          score: row.score,
          confidence: row.confidence,
          fields: row.fields,
        })),
        elements: {
          reason: sets.flatMap((set) => set.reason),
          label: sets.flatMap((set) => set.label),
          text: sets.flatMap((set) => set.text),
        },
        textRows: sets.map((set, i) => ({
          seq: decisions[i]?.seq ?? -1,
          terms: set.text.length,
        })),
        sealed: sealed.map(sealedRecord),
      };
    },
    async erasedSubjects(subjects) {
      if (subjects.length === 0) return new Set();
      const rows = await query<{ subject: string }>(
        `SELECT subject FROM subject_keys
          WHERE tenant = $1 AND subject = ANY($2::text[]) AND erased_at IS NOT NULL`,
        [tenant, subjects],
      );
      return new Set(rows.map((row) => row.subject));
    },
    async valueWeights() {
      // Nothing here is fingerprinted: every set is listed (see `listed`).
      return [];
    },
    async elementsIn(kind, from, to) {
      const rows = await decisionRows(from, to);
      return rows.flatMap((row) => termElements(row.seq, row.terms)[kind]);
    },
    async sealedCount() {
      const rows = await query<{ n: number }>(
        'SELECT count(*)::bigint AS n FROM personal_data WHERE tenant_id = $1',
        [logId],
      );
      return rows[0]?.n ?? 0;
    },
    async strayRecords(limit) {
      const rows = await query<SealedRow>(
        `SELECT event_id, subject, sealed IS NOT NULL AS kept, NULL AS sealed, shredded_at,
                shredded_by
           FROM personal_data r
          WHERE tenant_id = $1
            AND NOT EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = $1 AND e.id = r.event_id)
          LIMIT $2`,
        [logId, limit],
      );
      return rows.map(sealedRecord);
    },
    async close() {
      // The pool is the caller's.
    },
  };
}

interface EntryRow {
  seq: number;
  id: string;
  type: string;
  decision_id: string | null;
  kind: string | null;
  occurred_ms: number;
  recorded_at: Date;
  outcome_label: string | null;
}

interface DecisionRow {
  seq: number;
  model: string;
  model_version: string;
  occurred_ms: number;
  subject: string | null;
  recorded_at: Date;
  terms: string[];
  label: string | null;
  score: number | null;
  confidence: number | null;
  fields: number | null;
}

interface SealedRow {
  event_id: string;
  subject: string;
  kept: boolean;
  sealed: string | null;
  shredded_at: string | null;
  shredded_by: string | null;
}

function sealedRecord(row: SealedRow): StoredSealedRecord {
  const record: { -readonly [K in keyof StoredSealedRecord]: StoredSealedRecord[K] } = {
    eventId: row.event_id,
    subject: row.subject,
    kept: row.kept,
    shreddedAt: row.shredded_at,
    shreddedBy: row.shredded_by,
  };
  if (row.sealed !== null) record.content = row.sealed;
  return record;
}

/**
 * A decision's terms read back into reason codes, labels and words (`r:`, `l:N:key=value`,
 * `w:`). A term of no known shape is kept whole as a word, which no summary has (a word holds
 * no `:`), so that it shows as one kept too many.
 */
function termElements(
  seq: number,
  terms: readonly string[],
): Record<'reason' | 'label' | 'text', IndexElement[]> {
  const sets = {
    reason: [] as IndexElement[],
    label: [] as IndexElement[],
    text: [] as IndexElement[],
  };
  for (const term of terms) {
    const rest = term.slice(2);
    if (term.startsWith('r:')) sets.reason.push({ seq, value: rest, position: 0 });
    else if (term.startsWith('w:')) sets.text.push({ seq, value: rest, position: 0 });
    else {
      const label = term.startsWith('l:') ? parseLabel(rest) : null;
      if (label) sets.label.push({ seq, value: labelValue(label), position: 0 });
      else sets.text.push({ seq, value: term, position: 0 });
    }
  }
  return sets;
}

/** `N:key=value`, the key `N` characters long. */
function parseLabel(text: string): [string, string] | null {
  const colon = text.indexOf(':');
  const length = Number(text.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(length)) return null;
  const key = text.slice(colon + 1, colon + 1 + length);
  if (key.length !== length || text[colon + 1 + length] !== '=') return null;
  return [key, text.slice(colon + 2 + length)];
}
