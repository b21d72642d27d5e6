import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EventStore, IndexReader, LogDatabase } from '@declog/core';
import { openSqliteDatabase, openSqliteStore } from './sqlite/sqlite-database.js';
import { openSqliteIndexReader } from './sqlite/sqlite-index-reader.js';

// The PostgreSQL driver is loaded only for a postgres:// location: a command on an SQLite
// file, and every thread it starts, would otherwise spend part of its start-up loading it.
const postgres = () => import('./postgres/postgres-database.js');

export interface OpenStoreOptions {
  /** Fail instead of creating an empty log (for commands that only read). */
  readonly mustExist?: boolean;
  /** PostgreSQL connections in this process's pool (default 10). */
  readonly poolSize?: number;
  /** SQLite: checkpoint the write-ahead log on a thread of its own (a long-running server). */
  readonly backgroundCheckpoints?: boolean;
}

/** Where a log lives, parsed from `--db PATH` or `--store URL`. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * Parses a store location: `sqlite:PATH`, `postgres://…` (or `postgresql://…`), or a plain
 * file path, which means SQLite.
 */
export function parseStoreLocation(location: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(location)) return { kind: 'postgres', url: location };
  if (location.startsWith('sqlite:')) {
    const path = location.slice('sqlite:'.length);
    if (path === '') throw new Error('sqlite: needs a path, e.g. sqlite:./declog.db');
    return { kind: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new Error(`unsupported store ${location}; use sqlite:PATH or postgres://…`);
  }
  return { kind: 'sqlite', path: location };
}

/** A location as people write it, without a password. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return location.path;
  const url = new URL(location.url);
  if (url.password) url.password = '***';
  return url.toString();
}

/**
 * Whether two locations name the same database: one SQLite file (however its path is
 * written), or one PostgreSQL database on one server (whoever connects).
 */
export function sameStoreLocation(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return filePath(a.path) === filePath(b.path);
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const [x, y] = [new URL(a.url), new URL(b.url)];
    return (
      x.hostname === y.hostname &&
      (x.port || '5432') === (y.port || '5432') &&
      x.pathname === y.pathname
    );
  }
  return false;
}

function filePath(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

/** Opens the log at `location`, migrating its schema first if it is writable. */
export async function openStore(
  location: string,
  options: OpenStoreOptions = {},
): Promise<EventStore> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    return (await postgres()).openPostgresStore(parsed.url, {
      mustExist: options.mustExist ?? false,
      ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    });
  }
  if (options.mustExist && parsed.path !== ':memory:' && !existsSync(parsed.path)) {
    throw new Error(
      `no declog database at ${parsed.path} (use --db PATH, --store URL or --url URL)`,
    );
  }
  return openSqliteStore(parsed.path);
}

/**
 * Opens an existing log for reading only, as extra readers beside a writer and read replicas
 * do: nothing is migrated, and a PostgreSQL pool (one connection unless `poolSize` says) runs
 * only read-only transactions.
 */
export async function openReadonlyStore(
  location: string,
  options: Pick<OpenStoreOptions, 'poolSize'> = {},
): Promise<EventStore> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    return (await postgres()).openPostgresStore(parsed.url, {
      readonly: true,
      poolSize: options.poolSize ?? 1,
    });
  }
  if (!existsSync(parsed.path)) {
    throw new Error(
      `no declog database at ${parsed.path} (use --db PATH, --store URL or --url URL)`,
    );
  }
  return openSqliteStore(parsed.path, { readonly: true });
}

/** Opens the database at `location` with all its logs, migrating its schema first. */
export async function openDatabase(
  location: string,
  options: Pick<OpenStoreOptions, 'poolSize' | 'backgroundCheckpoints'> = {},
): Promise<LogDatabase> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    return (await postgres()).openPostgresDatabase(parsed.url, {
      ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    });
  }
  return openSqliteDatabase(parsed.path, {
    ...(options.backgroundCheckpoints ? { backgroundCheckpoints: true } : {}),
  });
}

/** Opens an existing database for reading only; see `openReadonlyStore`. */
export async function openReadonlyDatabase(
  location: string,
  options: Pick<OpenStoreOptions, 'poolSize'> = {},
): Promise<LogDatabase> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    return (await postgres()).openPostgresDatabase(parsed.url, {
      readonly: true,
      poolSize: options.poolSize ?? 1,
    });
  }
  if (!existsSync(parsed.path)) {
    throw new Error(
      `no declog database at ${parsed.path} (use --db PATH, --store URL or --url URL)`,
    );
  }
  return openSqliteDatabase(parsed.path, { readonly: true });
}

/**
 * What the log `logId` (of tenant `tenant`) of the database at `location` keeps beside its
 * entries, read for an audit through a read-only connection of its own.
 */
export async function openIndexReader(
  location: string,
  logId: string,
  tenant: string,
): Promise<IndexReader> {
  const parsed = parseStoreLocation(location);
  if (parsed.kind === 'postgres') {
    return (await postgres()).openPostgresIndexReader(parsed.url, logId, tenant);
  }
  return openSqliteIndexReader(parsed.path, logId, tenant);
}
