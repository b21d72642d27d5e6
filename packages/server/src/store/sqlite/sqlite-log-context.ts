import type Database from 'better-sqlite3';

/** One log of an SQLite database, as each part of its store sees it. */
export interface SqliteLogContext {
  readonly db: Database.Database;
  /** The prefix of the log's tables ('' for the default log). */
  readonly p: string;
  readonly logId: string;
  /** The tenant whose subject keys seal this log's decisions. */
  readonly tenant: string;
}

/** The tenant a log belongs to: a decision log is named after it, an access trail `T/access`. */
export function tenantOfLog(logId: string): string {
  const slash = logId.indexOf('/');
  return slash === -1 ? logId : logId.slice(0, slash);
}
