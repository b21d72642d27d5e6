import Database from 'better-sqlite3';
import {
  FINGERPRINT_MODULUS,
  labelValue,
  type IndexElement,
  type IndexReader,
  type IndexSetKind,
  type StoredDecisionColumns,
  type StoredEntryColumns,
  type StoredSealedRecord,
  type ValueWeights,
} from '@declog/core';
import { DEFAULT_LOG } from './sqlite-database.js';
import { ftsTerms } from './fts-terms.js';
import { sqliteDecisionIndex } from './sqlite-decision-index.js';
import { tenantOfLog } from './sqlite-log-context.js';

const P = FINGERPRINT_MODULUS;

/**
 * What one log of an SQLite file keeps beside its entries, read back for an audit through a
 * read-only connection of its own. Entries, decisions and full-text rows (FTS5's `docsize`:
 * which rowids it holds, and how many terms each) are keyed by seq and read by range; reason
 * and label rows (keyed by code or label first) and the full-text index's terms (readable
 * only through `fts5vocab`, all at once) are summed log-wide for their fingerprints.
 */
export function openSqliteIndexReader(path: string, logId: string, tenant: string): IndexReader {
  indexUpToLog(path, logId);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // As the store's own connections read (see openSqliteDatabase).
    db.pragma(`mmap_size = ${2 ** 31}`);
    db.pragma('cache_size = -65536');
    return sqliteIndexReader(db, logPrefix(db, logId), tenant);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Brings the log's decision index up to the log, as any writer of the file would, when a
 * writer stopped before it did (see SqliteDecisionIndex): the audit then reads an index that
 * should hold every entry. A file that cannot be written is refused, saying why, rather than
 * audited as if entries beyond the index had lost their rows.
 */
function indexUpToLog(path: string, logId: string): void {
  const probe = new Database(path, { readonly: true, fileMustExist: true });
  let behind: boolean;
  let prefix: string;
  try {
    prefix = logPrefix(probe, logId);
    if (!hasTable(probe, `${prefix}settings`)) return;
    const position = Number(
      probe
        .prepare<[], string>(`SELECT value FROM ${prefix}settings WHERE key = 'indexed_size'`)
        .pluck()
        .get() ?? 'NaN',
    );
    // A file of an older schema (no position) indexes each entry as it is appended.
    if (Number.isNaN(position)) return;
    const size =
      probe
        .prepare<[], number>(`SELECT coalesce(max(seq) + 1, 0) FROM ${prefix}events`)
        .pluck()
        .get() ?? 0;
    behind = position < size;
  } finally {
    probe.close();
  }
  if (!behind) return;
  let writer: Database.Database;
  try {
    writer = new Database(path, { fileMustExist: true });
  } catch (error) {
    throw new Error(
      `the decision index of ${logId} has not caught up with its log (a writer stopped first), ` +
        `and ${path} cannot be written to catch it up: ${(error as Error).message}`,
    );
  }
  try {
    writer.pragma('busy_timeout = 10000');
    sqliteDecisionIndex({ db: writer, p: prefix, logId, tenant: tenantOfLog(logId) }).catchUp();
  } finally {
    writer.close();
  }
}

function logPrefix(db: Database.Database, logId: string): string {
  const registry = hasTable(db, 'logs')
    ? db
        .prepare<[string], { prefix: string }>('SELECT prefix FROM logs WHERE log_id = ?')
        .get(logId)
    : undefined;
  if (registry) return registry.prefix;
  if (logId === DEFAULT_LOG) return '';
  throw new Error(`this database holds no log ${logId}`);
}

function hasTable(db: Database.Database, name: string): boolean {
  return (
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
      )
      .get(name)?.n === 1
  );
}

function sqliteIndexReader(db: Database.Database, p: string, tenant: string): IndexReader {
  // Each range comes back as one JSON array: an object (or array) a row from the driver costs
  // more than the query does.
  const rows = <T>(sql: string) => {
    const statement = db
      .prepare<unknown[], string>(`SELECT json_group_array(json(r)) FROM (${sql})`)
      .pluck();
    return (...params: unknown[]) => JSON.parse(statement.get(...params) ?? '[]') as T[];
  };
  // As objects of the reader's own shapes, which JSON.parse builds as they are.
  // An outcome's label is kept in a table of its own, by seq: read beside its entry (a label
  // kept for any other entry shows there too).
  const entries = rows<StoredEntryColumns>(
    `SELECT json_object('seq', e.seq, 'id', e.id, 'type', e.type, 'decisionId', e.decision_id,
                        'kind', e.kind, 'occurredMs', e.occurred_ms, 'outcomeLabel', o.label) AS r
       FROM ${p}events e LEFT JOIN ${p}outcome_labels o ON o.seq = e.seq
      WHERE e.seq >= ? AND e.seq < ? AND e.pruned IS NULL ORDER BY e.seq`,
  );
  const decisions = rows<StoredDecisionColumns>(
    `SELECT json_object('seq', seq, 'model', model, 'modelVersion', model_version,
                        'occurredMs', occurred_ms, 'subject', subject, 'label', label,
                        'score', score, 'confidence', confidence, 'fields', fields) AS r
       FROM ${p}decisions WHERE seq >= ? AND seq < ? ORDER BY seq`,
  );
  // FTS5 keeps each row's term count per column as a varint.
  const textRows = rows<[number, string]>(
    `SELECT json_array(id, hex(sz)) AS r
       FROM ${p}decision_text_docsize WHERE id >= ? AND id < ? ORDER BY id`,
  );
  // A sealed record is kept in its event's row, with the subject it is sealed under.
  const sealedRows = (content: boolean) =>
    rows<SealedRow>(
      `SELECT json_array(id, subject, sealed IS NOT NULL, shredded_at, shredded_by,
                         ${content ? "CASE typeof(sealed) WHEN 'blob' THEN hex(sealed) END, CASE typeof(sealed) WHEN 'text' THEN sealed END" : 'NULL, NULL'}) AS r
         FROM ${p}events WHERE id IN (SELECT value FROM json_each(?)) AND subject IS NOT NULL`,
    );
  const sealedOf = [sealedRows(false), sealedRows(true)];
  const terms = ftsTerms(db, p);
  let vocabulary: string | null = null;
  /** The log's full-text index as (term, doc, col, offset) rows, made on first use. */
  const vocab = () => {
    if (vocabulary === null) {
      vocabulary = 'declog_audit_vocab';
      db.exec(
        `CREATE VIRTUAL TABLE temp.${vocabulary} USING fts5vocab(main, '${p}decision_text', 'instance')`,
      );
    }
    return `temp.${vocabulary}`;
  };
  const weightSql = (kind: IndexSetKind, blockBits: number | undefined): string => {
    const seq = kind === 'text' ? 'doc' : 'seq';
    const position = kind === 'text' ? 'offset' : '0';
    const block = blockBits === undefined ? '0' : `${seq} >> ${blockBits}`;
    const weight = `sum(((${seq} % ${P}) * ? + ${position} + 1) % ${P}) % ${P}`;
    const [values, from] = setSource(kind, p, vocab);
    return `SELECT ${values}, ${block} AS block, ${weight} AS weight FROM ${from}
             WHERE ${seq} < ? GROUP BY ${values}${blockBits === undefined ? '' : ', block'}`;
  };
  const elementsSql = (kind: IndexSetKind): string => {
    const seq = kind === 'text' ? 'doc' : 'seq';
    const position = kind === 'text' ? 'offset' : '0';
    const [values, from] = setSource(kind, p, vocab);
    return `SELECT ${seq}, ${position}, ${values} FROM ${from} WHERE ${seq} >= ? AND ${seq} < ?`;
  };
  const valueOf = (kind: IndexSetKind, row: readonly unknown[]): string =>
    kind === 'label' ? labelValue([String(row[0]), String(row[1])]) : String(row[0]);

  return {
    listed: [],
    positionedTerms: true,
    textTerms: terms,
    async readPage(from, count, eventIds, options = {}) {
      const to = from + count;
      const sealed = sealedOf[options.sealedContent === true ? 1 : 0];
      return {
        entries: entries(from, to),
        decisions: decisions(from, to),
        elements: {},
        textRows: textRows(from, to).map(([seq, size]) => ({ seq, terms: firstVarint(size) })),
        sealed:
          sealed === undefined || eventIds.length === 0
            ? []
            : sealed(JSON.stringify(eventIds)).map(sealedRecord),
      };
    },
    async erasedSubjects(subjects) {
      if (subjects.length === 0 || !hasTable(db, 'subject_keys')) return new Set();
      const rows = db
        .prepare<[string, string], string>(
          `SELECT subject FROM subject_keys WHERE tenant = ? AND erased_at IS NOT NULL
              AND subject IN (SELECT value FROM json_each(?))`,
        )
        .pluck()
        .all(tenant, JSON.stringify(subjects));
      return new Set(rows);
    },
    async valueWeights(kind, size, multiplier, blockBits) {
      const rows = db
        .prepare<[number, number], unknown[]>(weightSql(kind, blockBits))
        .raw()
        .all(multiplier, size);
      const valueColumns = kind === 'label' ? 2 : 1;
      return rows.map((row): ValueWeights => ({
        value: valueOf(kind, row),
        block: Number(row[valueColumns]),
        weight: Number(row[valueColumns + 1]),
      }));
    },
    async elementsIn(kind, from, to) {
      const rows = db.prepare<[number, number], unknown[]>(elementsSql(kind)).raw().all(from, to);
      return rows.map((row): IndexElement => ({
        seq: Number(row[0]),
        position: Number(row[1]),
        value: valueOf(kind, row.slice(2)),
      }));
    },
    async sealedCount() {
      return (
        db
          .prepare<[], number>(`SELECT count(*) FROM ${p}events WHERE subject IS NOT NULL`)
          .pluck()
          .get() ?? 0
      );
    },
    async strayRecords() {
      // A record lives in its event's row: it cannot outlive the event (a pruned entry's row
      // keeps none).
      return [];
    },
    async close() {
      db.close();
    },
  };
}

/** Where a set kind's values are, and the columns that hold them. */
function setSource(
  kind: IndexSetKind,
  p: string,
  vocab: () => string,
): [values: string, from: string] {
  switch (kind) {
    case 'reason':
      return ['code', `${p}decision_reasons`];
    case 'label':
      return ['key, value', `${p}decision_labels`];
    case 'text':
      return ['term', vocab()];
  }
}

/** A record: event id, subject, kept (0/1), marks, and its content (packed as hex, or text). */
type SealedRow = [
  string,
  string,
  number,
  string | null,
  string | null,
  (string | null)?,
  (string | null)?,
];

const sealedRecord = ([
  eventId,
  subject,
  kept,
  shreddedAt,
  shreddedBy,
  packed,
  text,
]: SealedRow) => {
  const record: { -readonly [K in keyof StoredSealedRecord]: StoredSealedRecord[K] } = {
    eventId,
    subject,
    kept: kept === 1,
    shreddedAt,
    shreddedBy,
  };
  if (packed != null) record.content = new Uint8Array(Buffer.from(packed, 'hex'));
  else if (text != null) record.content = text;
  return record;
};

/** The first SQLite varint of bytes given in hex: how FTS5 keeps a row's term count. */
function firstVarint(hex: string): number {
  let value = 0;
  for (let i = 0; 2 * i < hex.length && i < 9; i += 1) {
    const byte = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (i === 8) return value * 256 + byte;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
  return value;
}
