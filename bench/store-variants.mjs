import Database from 'better-sqlite3';
import { openSqliteStore } from '../packages/server/dist/index.js';

/**
 * Schema variants of the declog SQLite store, for attributing insert time: each opens the real
 * store (its migrations create the schema), then swaps parts out with a second connection.
 * `decision_text` becomes a plain table, so the store's FTS insert still succeeds.
 */
export const STORE_VARIANTS = {
  full: [],
  'no FTS': ['DROP TABLE decision_text', 'CREATE TABLE decision_text (summary TEXT)'],
  'no FTS, no secondary indexes': [
    'DROP TABLE decision_text',
    'CREATE TABLE decision_text (summary TEXT)',
    ...[
      'decisions_by_time',
      'decisions_by_model',
      'decisions_by_model_version',
      'decisions_by_subject',
    ].map((index) => `DROP INDEX IF EXISTS ${index}`),
    'DROP TABLE decision_reasons',
    'CREATE TABLE decision_reasons (code TEXT, seq INTEGER)',
    'DROP TABLE decision_labels',
    'CREATE TABLE decision_labels (key TEXT, value TEXT, seq INTEGER)',
  ],
};

/** Opens the store at `path` in schema variant `name` of STORE_VARIANTS. */
export async function openStoreVariant(path, name) {
  await openSqliteStore(path).close();
  const db = new Database(path);
  try {
    for (const statement of STORE_VARIANTS[name]) db.exec(statement);
  } finally {
    db.close();
  }
  return openSqliteStore(path);
}
