import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexReader } from '@declog/core';
import { openSqliteStore } from '../../store/sqlite/sqlite-database.js';
import { openSqliteIndexReader } from '../../store/sqlite/sqlite-index-reader.js';
import { checkRowsOf } from './check-rows.js';
import { testEvent } from './fixtures/signed-log.js';

const dir = mkdtempSync(join(tmpdir(), 'declog-check-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = { multiplier: 987_654_321, secret: new Uint8Array(32).fill(5) };

/** A log of 40 test events in a file, and its index reader. */
async function indexedLog() {
  const path = join(dir, `log-${Math.random().toString(36).slice(2)}.db`);
  const store = openSqliteStore(path);
  const appended = await store.append(
    Array.from({ length: 40 }, (_, i) => testEvent(i)),
    '2026-11-27T12:00:00.000Z',
  );
  expect(appended.ok).toBe(true);
  return { store, reader: openSqliteIndexReader(path, 'default', 'default') };
}

/** `reader`, its events row of `seq` left out of the first `times` pages that hold it. */
function missingRow(reader: IndexReader, seq: number, times: number): IndexReader {
  let left = times;
  return {
    ...reader,
    async readPage(from, count, ids, options) {
      const page = await reader.readPage(from, count, ids, options);
      if (seq < from || seq >= from + count || left === 0) return page;
      left -= 1;
      return { ...page, entries: page.entries.filter((row) => row.seq !== seq) };
    },
  };
}

describe('checkRowsOf with an index audit', () => {
  it('finds what a store keeps beside each row to be what its leaf calls for', async () => {
    const { store, reader } = await indexedLog();
    const checked = await checkRowsOf(store, { reader, key })(0, 40);
    expect(checked).toMatchObject({ rowsRead: 40, problem: null, indexProblem: null, sealed: 0 });
    // Reasons and labels: none in the test events; full-text terms: every decision's.
    expect(checked.fingerprints[2]).not.toBe(0);
    await Promise.all([reader.close(), store.close()]);
  });

  it('takes a second look before naming a row: a retention run may have been between the reads', async () => {
    const { store, reader } = await indexedLog();
    const once = await checkRowsOf(store, { reader: missingRow(reader, 13, 1), key })(0, 40);
    expect(once.indexProblem).toBeNull();
    const always = await checkRowsOf(store, { reader: missingRow(reader, 13, 2), key })(0, 40);
    expect(always.indexProblem).toMatchObject({ code: 'edited-entry', seq: 13 });
    expect(always.indexProblem?.reason).toMatch(/seq 13: its events row is missing/);
    // The leaves of the whole range still go into the tree; the problem ends the audit.
    expect(always.leafHashes).toHaveLength(40);
    await Promise.all([reader.close(), store.close()]);
  });
});
