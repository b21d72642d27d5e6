import { existsSync } from 'node:fs';
import type { EventStore } from '@declog/core';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreOptions {
  /** Fail instead of creating an empty log (for commands that only read). */
  readonly mustExist?: boolean;
}

/** Opens the log at `location`: a SQLite file path (`./declog.db`) or `sqlite:PATH`. */
export function openStore(location: string, options: OpenStoreOptions = {}): EventStore {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new Error(`unsupported store ${location}; use a file path or sqlite:PATH`);
  }
  const path = location.startsWith('sqlite:') ? location.slice('sqlite:'.length) : location;
  if (options.mustExist && path !== ':memory:' && !existsSync(path)) {
    throw new Error(`no declog database at ${path} (use --db PATH or --url URL)`);
  }
  return openSqliteStore(path);
}
