import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';

/**
 * The bytes an SQLite database occupies once its write-ahead log is folded in: checkpoints
 * with TRUNCATE through a fresh connection, then adds the file and whatever -wal remains.
 * Call it only when no other connection has the file open.
 */
export async function storedBytes(path) {
  const db = new Database(path, { fileMustExist: true });
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)');
    if (result?.busy) throw new Error(`${path} is busy; cannot checkpoint`);
  } finally {
    db.close();
  }
  return (await fileSize(path)) + (await fileSize(`${path}-wal`));
}

async function fileSize(path) {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
}
