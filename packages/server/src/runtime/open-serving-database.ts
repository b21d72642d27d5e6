import type { LogDatabase } from '@declog/core';
import { openDatabase, parseStoreLocation } from '../store/open-store.js';
import { openThreadedSqliteDatabase, type ServingThreads } from './threaded-sqlite-database.js';
import { threadTaskId } from './thread-task-id.js';

/**
 * The database as `declog serve` opens it: a SQLite file on a writer thread of its own (see
 * openThreadedSqliteDatabase), PostgreSQL through its pool.
 */
export async function openServingDatabase(
  location: string,
  options: { readonly poolSize?: number } = {},
): Promise<LogDatabase & ServingThreads> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'sqlite' && parsed.path !== ':memory:') {
    return openThreadedSqliteDatabase(parsed.path, { backgroundCheckpoints: true });
  }
  const database = await openDatabase(location, { ...options, backgroundCheckpoints: true });
  return Object.assign(database, { threads: () => ({ serving: threadTaskId() }) });
}
