import type { EventStore } from './event-store.js';
import type { GovernanceStore } from './governance-store.js';

/**
 * One database holding many logs (each tenant's decision log and access trail) and the
 * records that govern them. Every adapter (SQLite, PostgreSQL) implements it.
 */
export interface LogDatabase {
  /**
   * The log named `logId`, created on first use unless the database is read-only (then a log
   * that does not exist is an error). Logs share the database's connections: closing one is a
   * no-op; `close` here closes them all.
   */
  log(logId: string): Promise<EventStore>;
  /** Whether a log of that id holds anything or has been created. */
  hasLog(logId: string): Promise<boolean>;
  readonly governance: GovernanceStore;
  /**
   * Makes deleted secrets (destroyed subject keys, shredded records) unrecoverable from the
   * database's own files as far as the engine allows: SQLite overwrites freed pages and
   * empties its WAL; PostgreSQL rewrites the tables that held them.
   */
  scrub(): Promise<void>;
  close(): Promise<void>;
}
