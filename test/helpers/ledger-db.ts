import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { appendLeaf, EMPTY_FRONTIER, leafHash, merkleRoot, type Frontier } from '@declog/core';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  type TestEvent,
} from './event-factory.js';
import { runCli } from './run-cli.js';
import { startServer } from './server-process.js';

/**
 * Logs made by the real CLI and server, for the audit tests: `declog ingest --db` stores the
 * events, and a `declog serve` started and stopped on the file signs a checkpoint of it.
 */

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

/** Appends events to the database with `declog ingest --db`. */
export async function ingest(db: string, events: readonly TestEvent[]): Promise<void> {
  const file = `${db}.${Date.now()}.ndjson`;
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const result = await runCli(['ingest', file, '--db', db]);
  expect(result.code, result.stderr).toBe(0);
}

/** Starts and stops `declog serve` on the database, which signs a checkpoint of all of it. */
export async function signCheckpoint(db: string, ...flags: string[]): Promise<void> {
  const server = await startServer(['--db', db, '--port', '0', ...flags]);
  // An answer means the server is past start-up, signal handlers included.
  await fetch(`${server.url}/healthz`);
  const status = await server.stop();
  expect(status.code, server.stderr()).toBe(0);
}

/**
 * Builds a log batch by batch, signing a checkpoint after each batch but the last when
 * `unsignedTail` is set. Returns the checkpoint sizes.
 */
export async function buildLedgerDb(
  db: string,
  batches: readonly number[],
  options: { readonly unsignedTail?: boolean } = {},
): Promise<number[]> {
  const sizes: number[] = [];
  let size = 0;
  for (const [i, count] of batches.entries()) {
    if (count > 0) await ingest(db, chainEvents(count));
    size += count;
    if (options.unsignedTail && i === batches.length - 1) break;
    await signCheckpoint(db);
    sizes.push(size);
  }
  return sizes;
}

/** Copies a (closed) database and its signing key to `to`. */
export function copyDb(from: string, to: string): string {
  for (const suffix of ['', '-wal', '-shm', '.key']) {
    if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
  }
  return to;
}

/** Runs `change` on the database file directly, as someone with access to the file could. */
export function withDb<T>(db: string, change: (sql: Database.Database) => T): T {
  const sql = new Database(db);
  try {
    return change(sql);
  } finally {
    sql.close();
  }
}

export function setting(db: string, key: string): string {
  return withDb(db, (sql) => {
    const row = sql.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    if (!row) throw new Error(`no setting ${key}`);
    return row.value;
  });
}

export function body(db: string, seq: number): string {
  return withDb(db, (sql) => {
    const row = sql.prepare('SELECT body FROM events WHERE seq = ?').get(seq) as
      { body: string } | undefined;
    if (!row) throw new Error(`no event at seq ${seq}`);
    return row.body;
  });
}

/** Root of the stored events, computed here from the bodies (RFC 9162 over SHA-256(0x00‖body)). */
export function rootOfBodies(db: string): string {
  const bodies = withDb(db, (sql) =>
    (sql.prepare('SELECT body FROM events ORDER BY seq').all() as { body: string }[]).map(
      (r) => r.body,
    ),
  );
  return Buffer.from(merkleRoot(bodies.map((b) => leafHash(Buffer.from(b))))).toString('base64');
}

/**
 * Rewrites every stored tree node from the current bodies, as an attacker who edited events
 * and wants the stored tree to agree with them would.
 */
export function rebuildTree(db: string): void {
  withDb(db, (sql) => {
    const bodies = sql.prepare('SELECT body FROM events ORDER BY seq').all() as { body: string }[];
    const update = sql.prepare('UPDATE merkle_nodes SET hash = ? WHERE level = ? AND idx = ?');
    let frontier: Frontier = EMPTY_FRONTIER;
    sql.transaction(() => {
      for (const { body: text } of bodies) {
        const appended = appendLeaf(frontier, leafHash(Buffer.from(text)));
        for (const node of appended.newNodes) {
          update.run(Buffer.from(node.hash), node.level, node.index);
        }
        frontier = appended.frontier;
      }
    })();
  });
}
