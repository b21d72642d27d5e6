import pg from 'pg';
import type { EventStore, IndexReader, LogDatabase } from '@declog/core';
import { migratePostgres } from './postgres-migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { ensureMonthlyPartitions } from './postgres-partitions.js';
import { asStoreUnavailable } from './store-unavailable.js';
import { DEFAULT_POOL_SIZE } from './default-pool-size.js';
import { postgresGovernanceStore } from './postgres-governance-store.js';
import { postgresIndexReader } from './postgres-index-reader.js';
import { postgresLogStore, type MonthlyPartitions } from './postgres-store.js';

export interface PostgresStoreOptions {
  /** The log (tenant) this store reads and appends; each tenant is its own log. */
  readonly tenant?: string;
  /** Connections in this process's pool. */
  readonly poolSize?: number;
  /**
   * Read only (a read replica, or an auditor's tools): no migrations, no partitions, and
   * every transaction read-only, so appends fail.
   */
  readonly readonly?: boolean;
  /** Refuse a database that holds no declog log for the tenant, instead of creating one. */
  readonly mustExist?: boolean;
  /** How long to wait for a connection before the request fails as `store_unavailable`. */
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_TENANT = 'default';

/** How long a request waits for a connection (new or from a busy pool) before a 503. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Months of partitions kept ready ahead of the clock. */
const MONTHS_AHEAD = 3;

/** bigint columns as numbers: seqs and sizes stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A PostgreSQL database holding every tenant's logs (rows keyed by their log id in
 * `tenant_id`) and the governance tables, behind one connection pool.
 */
export async function openPostgresDatabase(
  url: string,
  options: Omit<PostgresStoreOptions, 'tenant' | 'mustExist'> & {
    /** Refuse the database, before migrating anything, unless it holds this log. */
    readonly requireLog?: string;
  } = {},
): Promise<LogDatabase> {
  const readonly = options.readonly ?? false;
  const pool = newPool(url, options);

  let partitionsUntilMs = 0;
  const partitions: MonthlyPartitions = {
    readyUntilMs: () => partitionsUntilMs,
    async ensure(ms) {
      partitionsUntilMs = await ensureMonthlyPartitions(pool, ms, MONTHS_AHEAD);
    },
  };
  try {
    if (options.requireLog !== undefined) await requireLog(pool, options.requireLog);
    if (!readonly) {
      await migratePostgres(pool, POSTGRES_MIGRATIONS);
      await partitions.ensure(Date.now());
    }
  } catch (error) {
    await pool.end();
    throw asStoreUnavailable(error);
  }

  const logs = new Map<string, EventStore>();
  return {
    async log(logId) {
      let log = logs.get(logId);
      if (log) return log;
      try {
        if (readonly) await requireLog(pool, logId);
        else {
          await pool.query('INSERT INTO logs (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [
            logId,
          ]);
        }
      } catch (error) {
        throw asStoreUnavailable(error);
      }
      log = postgresLogStore(pool, logId, partitions);
      logs.set(logId, log);
      return log;
    },
    async hasLog(logId) {
      try {
        const { rows } = await pool.query<{ logs: string | null }>(
          "SELECT to_regclass('logs')::text AS logs",
        );
        if (rows[0]?.logs == null) return false;
        return (
          (await pool.query('SELECT 1 FROM logs WHERE tenant_id = $1', [logId])).rowCount === 1
        );
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    governance: postgresGovernanceStore(pool),
    async scrub() {
      try {
        // Dead row versions keep the old bytes until the table is rewritten.
        await pool.query('VACUUM FULL subject_keys');
        await pool.query('VACUUM FULL personal_data');
        await pool.query('VACUUM FULL access_details');
        await pool.query('VACUUM FULL access_subjects');
      } catch (error) {
        throw asStoreUnavailable(error);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** A pool of connections to `url`, read-only ones if asked. */
function newPool(
  url: string,
  options: Pick<PostgresStoreOptions, 'poolSize' | 'readonly' | 'connectTimeoutMs'>,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // An unreachable host (packets dropped, not refused) must become a 503, not a hang.
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    types,
    application_name: 'declog',
    ...(options.readonly === true ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it, and the next query reports the outage if it lasts.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * What the log `logId` of tenant `tenant` keeps beside its entries, read for an audit through
 * a read-only connection of its own, which closing the reader closes.
 */
export async function openPostgresIndexReader(
  url: string,
  logId: string,
  tenant: string,
): Promise<IndexReader> {
  const pool = newPool(url, { readonly: true, poolSize: 2 });
  try {
    await requireLog(pool, logId);
  } catch (error) {
    await pool.end();
    throw asStoreUnavailable(error);
  }
  const reader = postgresIndexReader(pool, logId, tenant);
  return { ...reader, close: () => pool.end() };
}

/**
 * One tenant's decision log, which owns the database's pool: closing it closes the pool.
 * See `openPostgresDatabase` for more logs on one pool.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<EventStore> {
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const { mustExist, tenant: _tenant, ...databaseOptions } = options;
  const database = await openPostgresDatabase(url, {
    ...databaseOptions,
    ...(mustExist ? { requireLog: tenant } : {}),
  });
  try {
    const log = await database.log(tenant);
    return { ...log, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Throws unless the database holds declog's schema and a log for `tenant`. */
async function requireLog(pool: pg.Pool, tenant: string): Promise<void> {
  const { rows } = await pool.query<{ logs: string | null }>(
    "SELECT to_regclass('logs')::text AS logs",
  );
  const found =
    rows[0]?.logs != null &&
    (await pool.query('SELECT 1 FROM logs WHERE tenant_id = $1', [tenant])).rowCount === 1;
  if (!found) {
    throw noLogError(pool.options.connectionString ?? 'postgres://', tenant);
  }
}

function noLogError(connectionString: string, tenant: string): Error {
  const url = new URL(connectionString);
  return new Error(
    `no declog log in the database ${url.pathname.slice(1)} on ${url.host}` +
      (tenant === DEFAULT_TENANT ? '' : ` for tenant ${tenant}`) +
      ' (start declog serve on it, or run declog migrate, first)',
  );
}
