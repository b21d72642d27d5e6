import { existsSync, readFileSync } from 'node:fs';
import { unpackSealedRecord } from '@declog/core';
import { withStoreSql } from './ledger-store.js';
import type { TestStore } from './test-store.js';

/**
 * Every stored byte a reader of the database could get at, as text: a SQLite file and its
 * WAL, whole; on PostgreSQL, every row that holds event or personal data (its files are the
 * server's, not ours to read).
 */
export async function databaseText(store: TestStore): Promise<string> {
  if (!store.location.startsWith('postgres')) {
    const file = store.location.slice('sqlite:'.length);
    return [file, `${file}-wal`]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString('latin1'))
      .join('\n');
  }
  return withStoreSql(store, async (sql) => {
    const rows = await sql.rows<{ text: string | null }>(
      `SELECT body AS text FROM events UNION ALL SELECT sealed FROM personal_data
       UNION ALL SELECT wrapped_key FROM subject_keys
       UNION ALL SELECT array_to_string(terms, ' ') FROM decisions
       UNION ALL SELECT details FROM access_details`,
    );
    return rows.map((row) => row.text ?? '').join('\n');
  });
}

/**
 * How the ciphertext of a sealed record (as the store gives it back: its JSON text, or packed)
 * appears in `databaseText`: SQLite keeps the record packed, so its file holds the raw bytes;
 * PostgreSQL keeps the text, base64 and all.
 */
export function storedCiphertext(store: TestStore, sealed: string | Uint8Array): string {
  const text = typeof sealed === 'string' ? sealed : unpackSealedRecord(sealed);
  const { ciphertext } = JSON.parse(text) as { ciphertext: string };
  return store.location.startsWith('postgres')
    ? ciphertext
    : Buffer.from(ciphertext, 'base64').toString('latin1');
}
