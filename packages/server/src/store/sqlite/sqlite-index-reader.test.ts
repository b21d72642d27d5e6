import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './sqlite-database.js';
import { openSqliteIndexReader } from './sqlite-index-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'declog-index-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Summaries as the log's FTS5 table indexed them, and as the reader splits them. */
async function termsBothWays(summaries: readonly string[]) {
  const path = join(dir, `terms-${Math.random().toString(36).slice(2)}.db`);
  await openSqliteDatabase(path).close();
  const db = new Database(path);
  const insert = db.prepare('INSERT INTO decision_text (rowid, summary) VALUES (?, ?)');
  summaries.forEach((summary, seq) => insert.run(seq, summary));
  db.close();
  const reader = openSqliteIndexReader(path, 'default', 'default');
  try {
    const indexed = summaries.map(() => [] as string[]);
    for (const e of await reader.elementsIn('text', 0, summaries.length)) {
      (indexed[e.seq] as string[])[e.position] = e.value;
    }
    return { indexed, split: summaries.map((summary) => [...reader.textTerms(summary)]) };
  } finally {
    await reader.close();
  }
}

describe('the SQLite index reader', () => {
  it('splits summaries into the terms FTS5 indexed, at their positions, ASCII or not', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('Über café naïve ﬁne ΣΊΣΥΦΟΣ İstanbul', 'ＡＢＣ１２３ 東京 😀 x', ''),
    );
    const summaries = fc.sample(text, { numRuns: 300, seed: 7 });
    const { indexed, split } = await termsBothWays(summaries);
    expect(split).toEqual(indexed);
  });
});
