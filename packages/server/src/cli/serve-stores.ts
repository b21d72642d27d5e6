import { parseStoreLocation } from '../store/open-store.js';
import { storeLocationOf, type StoreFlags } from './store-option.js';

export interface ServeStoreFlags extends StoreFlags {
  readonly readStore?: string;
  readonly poolSize?: number;
}

/** The databases `declog serve` opens, as their locations. */
export interface ServeStores {
  /** The log: appended to, checkpointed and migrated here. */
  readonly store: string;
  /** A read replica that answers the read endpoints, if any. */
  readonly readStore?: string;
  /** PostgreSQL connections per pool, if given. */
  readonly poolSize?: number;
}

/**
 * The stores `declog serve` is told to open: the log (`--store`, `--db`,
 * `$DECLOG_DATABASE_URL`) and a read replica (`--read-store`, else
 * `$DECLOG_READ_DATABASE_URL`). Replicas are PostgreSQL standbys, so a read store needs a
 * PostgreSQL log, and a pool size means PostgreSQL; anything else is refused with the reason.
 */
export function serveStoresOf(
  flags: ServeStoreFlags,
  env: Readonly<Record<string, string | undefined>>,
): ServeStores {
  const store = storeLocationOf(flags, env);
  const fromEnv = env['DECLOG_READ_DATABASE_URL'];
  const readStore = flags.readStore ?? (fromEnv === '' ? undefined : fromEnv);
  const readFlag = flags.readStore !== undefined ? '--read-store' : '$DECLOG_READ_DATABASE_URL';
  const kind = parseStoreLocation(store).kind;
  if (readStore !== undefined) {
    if (parseStoreLocation(readStore).kind !== 'postgres') {
      throw new Error(`${readFlag} must be a postgres:// URL of a read replica, not ${readStore}`);
    }
    if (kind !== 'postgres') {
      throw new Error(
        `${readFlag} needs a PostgreSQL --store (postgres://…): read replicas are PostgreSQL ` +
          `standbys, and ${store} is a SQLite file`,
      );
    }
  }
  if (flags.poolSize !== undefined && kind !== 'postgres') {
    throw new Error(`--pool-size applies to a PostgreSQL --store; ${store} is a SQLite file`);
  }
  return {
    store,
    ...(readStore !== undefined ? { readStore } : {}),
    ...(flags.poolSize !== undefined ? { poolSize: flags.poolSize } : {}),
  };
}
