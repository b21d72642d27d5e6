import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
// The checkpointer starts its worker from the built file next to it, so the test uses the build.
import { startWalCheckpointer } from '../../../dist/store/sqlite/wal-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'declog-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startWalCheckpointer', () => {
  it('keep the write-ahead log short while the connection never checkpoints itself', async () => {
    const path = join(dir, 'wal.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const writeMiB = () =>
      db.transaction(() => {
        for (let i = 0; i < 64; i += 1) insert.run(randomBytes(16 * 1024));
      })();
    const walBytes = () => statSync(`${path}-wal`).size;
    const checkpointer = startWalCheckpointer(db, path, 10);
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      for (let i = 0; i < 32; i += 1) {
        writeMiB();
        await setTimeout(30);
      }
      // 32 MiB were committed; the thread's checkpoints let each commit reuse the log.
      expect(walBytes()).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await checkpointer.stop();
    }
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // Without the thread, and without the connection's own checkpoints, the log only grows.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 16; i += 1) writeMiB();
    expect(walBytes()).toBeGreaterThan(16 * 1024 * 1024);
    db.close();
  });
});
