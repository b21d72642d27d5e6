import type { LogCheckpoints } from '@declog/core';
import { asBuffer, toStoredCheckpoint, type CheckpointRecord } from '../stored-records.js';
import type { SqliteLogContext } from './sqlite-log-context.js';

/** The checkpoints one log has issued, never edited, and its pinned settings. */
export function sqliteLogCheckpoints({ db, p }: SqliteLogContext): LogCheckpoints {
  const insertCheckpoint = db.prepare<[number, Buffer, string, string]>(
    `INSERT OR IGNORE INTO ${p}checkpoints (size, root, note, issued_at) VALUES (?, ?, ?, ?)`,
  );
  const latest = db.prepare<[], CheckpointRecord>(
    `SELECT size, root, note, issued_at FROM ${p}checkpoints ORDER BY size DESC LIMIT 1`,
  );
  const at = db.prepare<[number], CheckpointRecord>(
    `SELECT size, root, note, issued_at FROM ${p}checkpoints WHERE size = ?`,
  );
  const from = db.prepare<[number], CheckpointRecord>(
    `SELECT size, root, note, issued_at FROM ${p}checkpoints WHERE size >= ? ORDER BY size`,
  );
  const getSetting = db
    .prepare<[string], string>(`SELECT value FROM ${p}settings WHERE key = ?`)
    .pluck();
  const insertSetting = db.prepare<[string, string]>(
    `INSERT OR IGNORE INTO ${p}settings (key, value) VALUES (?, ?)`,
  );
  return {
    async addCheckpoint(checkpoint) {
      const result = insertCheckpoint.run(
        checkpoint.size,
        asBuffer(checkpoint.rootHash),
        checkpoint.note,
        checkpoint.issuedAt,
      );
      return result.changes === 1;
    },
    async latestCheckpoint() {
      const row = latest.get();
      return row ? toStoredCheckpoint(row) : null;
    },
    async checkpointAt(size) {
      const row = at.get(size);
      return row ? toStoredCheckpoint(row) : null;
    },
    async checkpoints(fromSize = 0) {
      return from.all(fromSize).map(toStoredCheckpoint);
    },
    async initSetting(key, value) {
      insertSetting.run(key, value);
      return getSetting.get(key) ?? value;
    },
  };
}
