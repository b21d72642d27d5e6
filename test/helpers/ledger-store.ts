import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { integrateTiles, expandEventText, leafHash, merkleRoot } from '@declog/core';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  type TestEvent,
} from './event-factory.js';
import { postgresUrl, withPostgres } from './postgres.js';
import { runCli } from './run-cli.js';
import type { TempDir } from './temp-dir.js';
import { startServerOn, type TestStore } from './test-store.js';

/**
 * Direct access to a test log's database, as someone with access to the file or the database
 * server could change it, on either store. SQL uses `?` placeholders on both.
 */
export interface StoreSql {
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  rows<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export async function withStoreSql<T>(
  store: TestStore,
  work: (sql: StoreSql) => Promise<T>,
): Promise<T> {
  if (!store.location.startsWith('postgres')) {
    const db = new Database(store.location.slice('sqlite:'.length));
    try {
      return await work({
        run: async (sql, params = []) => void db.prepare(sql).run(...params),
        rows: async <R>(sql: string, params: readonly unknown[] = []) =>
          db.prepare(sql).all(...params) as R[],
      });
    } finally {
      db.close();
    }
  }
  return withPostgres(store.location, (client) => {
    const numbered = (sql: string) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${(n += 1)}`);
    };
    return work({
      run: async (sql, params = []) => void (await client.query(numbered(sql), [...params])),
      rows: async <R>(sql: string, params: readonly unknown[] = []) =>
        (await client.query(numbered(sql), [...params])).rows as R[],
    });
  });
}

/** `count` events in decision chains: a decision, then an action, outcome and annotation of it. */
export function chainEvents(count: number): TestEvent[] {
  const events: TestEvent[] = [];
  let decision = '';
  for (let i = 0; i < count; i++) {
    const minute = String(i % 60).padStart(2, '0');
    const at = `2026-03-01T12:${minute}:00Z`;
    if (i % 4 === 0) {
      const event = decisionEvent({ occurred_at: at });
      decision = idOf(event);
      events.push(event);
    } else if (i % 4 === 1) events.push(actionEvent(decision, { occurred_at: at }));
    else if (i % 4 === 2) events.push(outcomeEvent(decision, { occurred_at: at }));
    else events.push(annotationEvent(decision, { occurred_at: at }));
  }
  return events;
}

/** Appends events with `declog ingest`. */
export async function ingestInto(store: TestStore, events: readonly TestEvent[]): Promise<void> {
  const file = join(store.cwd, `ingest-${Date.now()}-${Math.random()}.ndjson`);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  // Unsigned, as a server's appends are until its next checkpoint: tests sign when they mean to.
  const result = await runCli(['ingest', file, '--no-sign', ...store.args], { cwd: store.cwd });
  expect(result.code, result.stderr).toBe(0);
}

/** Starts and stops `declog serve` on the log, which signs a checkpoint of all of it. */
export async function signCheckpointOf(
  store: TestStore,
  flags: readonly string[] = [],
): Promise<void> {
  const server = await startServerOn(store, flags);
  // An answer means the server is past start-up, signal handlers included.
  await fetch(`${server.url}/healthz`);
  const status = await server.stop();
  expect(status.code, server.stderr()).toBe(0);
}

/**
 * Builds a log batch by batch with the real CLI and server, signing a checkpoint after each
 * batch (but the last, with `unsignedTail`). Returns the checkpoint sizes.
 */
export async function buildLedger(
  store: TestStore,
  batches: readonly number[],
  options: { readonly unsignedTail?: boolean } = {},
): Promise<number[]> {
  const sizes: number[] = [];
  let size = 0;
  for (const [i, count] of batches.entries()) {
    if (count > 0) await ingestInto(store, chainEvents(count));
    size += count;
    if (options.unsignedTail && i === batches.length - 1) break;
    await signCheckpointOf(store);
    sizes.push(size);
  }
  return sizes;
}

/** A copy of a log nothing has open, with its signing key, named `name`. */
export async function copyStore(from: TestStore, tmp: TempDir, name: string): Promise<TestStore> {
  if (!from.location.startsWith('postgres')) {
    const source = from.location.slice('sqlite:'.length);
    const file = tmp.file(`${name}.db`);
    for (const suffix of ['', '-wal', '-shm', '.key', '.master-key']) {
      if (existsSync(`${source}${suffix}`)) copyFileSync(`${source}${suffix}`, `${file}${suffix}`);
    }
    return {
      location: `sqlite:${file}`,
      args: ['--db', file],
      cwd: tmp.path,
      keyFile: `${file}.key`,
    };
  }
  const database = `declog_copy_${name.replace(/\W/g, '_')}_${Date.now()}`;
  const source = new URL(from.location).pathname.slice(1);
  await withPostgres(postgresUrl(), (client) =>
    client.query(`CREATE DATABASE ${database} TEMPLATE ${source}`),
  );
  const cwd = tmp.file(`${name}-pg`);
  mkdirSync(cwd);
  const keyFile = join(cwd, 'declog-signing.key');
  if (existsSync(from.keyFile)) copyFileSync(from.keyFile, keyFile);
  // The database's subject keys are wrapped by the master key beside the signing key.
  const masterKey = join(from.cwd, 'declog-master.key');
  if (existsSync(masterKey)) copyFileSync(masterKey, join(cwd, 'declog-master.key'));
  const url = postgresUrl(database);
  return { location: url, args: ['--store', url], cwd, keyFile };
}

export async function storedBody(store: TestStore, seq: number): Promise<string> {
  const rows = await withStoreSql(store, (sql) =>
    sql.rows<{ body: string }>('SELECT body FROM events WHERE seq = ?', [seq]),
  );
  if (!rows[0]) throw new Error(`no event at seq ${seq}`);
  return expandEventText(rows[0].body);
}

export async function storedSetting(store: TestStore, key: string): Promise<string> {
  const rows = await withStoreSql(store, (sql) =>
    sql.rows<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]),
  );
  if (!rows[0]) throw new Error(`no setting ${key}`);
  return rows[0].value;
}

/** Root of the stored events, computed here from the bodies (RFC 9162 over SHA-256(0x00‖body)). */
export async function rootOfStoredBodies(store: TestStore): Promise<string> {
  const bodies = await withStoreSql(store, (sql) =>
    sql.rows<{ body: string }>('SELECT body FROM events ORDER BY seq'),
  );
  const root = merkleRoot(bodies.map((b) => leafHash(Buffer.from(expandEventText(b.body)))));
  return Buffer.from(root).toString('base64');
}

/**
 * Rewrites the stored tree from the current bodies, as an attacker who edited events and
 * wants the stored tree to agree with them would.
 */
export async function rebuildStoredTree(store: TestStore): Promise<void> {
  await withStoreSql(store, async (sql) => {
    const bodies = await sql.rows<{ body: string }>('SELECT body FROM events ORDER BY seq');
    const leaves = bodies.map(({ body }) => leafHash(Buffer.from(expandEventText(body))));
    for (const tile of integrateTiles(0, [], leaves).tiles) {
      await sql.run('UPDATE tiles SET hashes = ? WHERE level = ? AND idx = ?', [
        Buffer.from(tile.hashes),
        tile.level,
        tile.index,
      ]);
    }
  });
}

/** Overwrites the leaf hash stored for `seq` (in its tile) with `hash`. */
export async function setStoredLeafHash(
  sql: StoreSql,
  seq: number,
  hash: Uint8Array,
): Promise<void> {
  const index = Math.floor(seq / 256);
  const [tile] = await sql.rows<{ hashes: Uint8Array }>(
    'SELECT hashes FROM tiles WHERE level = 0 AND idx = ?',
    [index],
  );
  if (!tile) throw new Error(`no tile holds the leaf hash of seq ${seq}`);
  const hashes = Buffer.from(tile.hashes);
  hashes.set(hash, (seq % 256) * 32);
  await sql.run('UPDATE tiles SET hashes = ? WHERE level = 0 AND idx = ?', [hashes, index]);
}
