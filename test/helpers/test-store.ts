import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshPostgresDatabase } from './postgres.js';
import { startServer, type ServerProcess } from './server-process.js';
import type { TempDir } from './temp-dir.js';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * The store the integration tests run on: the `sqlite` test project leaves it unset, the
 * `postgres` project (vitest.config.ts) sets $DECLOG_TEST_STORE, so that the same tests run,
 * unmodified, on both.
 */
export const STORE_KIND: StoreKind =
  process.env['DECLOG_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';

/** A new, empty log on the store under test, and how commands open it. */
export interface TestStore {
  /** `sqlite:` path or `postgres://` URL, as `--store` takes it. */
  readonly location: string;
  /** The flag that names it: `--db FILE` or `--store URL`. */
  readonly args: readonly string[];
  /** Where to run commands on it, so that its default signing key file is found. */
  readonly cwd: string;
  /** Where the signing key is created on first start (absolute). */
  readonly keyFile: string;
}

/**
 * A fresh log named `name`: a database file in `tmp`, or a new PostgreSQL database whose
 * commands run in a directory of their own (a database server has no file to keep a key
 * beside, so its key file is made in the working directory).
 */
export async function testStore(tmp: TempDir, name: string): Promise<TestStore> {
  if (STORE_KIND === 'sqlite') {
    const file = tmp.file(`${name}.db`);
    return {
      location: `sqlite:${file}`,
      args: ['--db', file],
      cwd: tmp.path,
      keyFile: `${file}.key`,
    };
  }
  const url = await freshPostgresDatabase();
  const cwd = tmp.file(`${name}-pg`);
  mkdirSync(cwd);
  return { location: url, args: ['--store', url], cwd, keyFile: join(cwd, 'declog-signing.key') };
}

/** `declog serve` on the store, on a free port, with `flags` added. */
export function startServerOn(
  store: TestStore,
  flags: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<ServerProcess> {
  return startServer([...store.args, '--port', '0', ...flags], { cwd: store.cwd, env });
}
