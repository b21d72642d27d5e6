import type { EventStore, GovernanceStore, LogDatabase } from '@declog/core';
import { startSqliteWriter, type SqliteWriter } from './sqlite-writer.js';
import { threadTaskId } from './thread-task-id.js';
import { GOVERNANCE_METHODS, LOG_METHODS, type WriterTarget } from './writer-protocol.js';

/** The threads a database is served on, by job, as their task ids (see threadTaskId). */
export interface ServingThreads {
  threads(): Readonly<Record<string, number | null>>;
}

// Every method of the stores is forwarded: a method missing from the lists fails to compile.
const LOG_METHODS_COMPLETE: Exclude<keyof EventStore, (typeof LOG_METHODS)[number]> extends 'close'
  ? true
  : never = true;
const GOVERNANCE_METHODS_COMPLETE: Exclude<
  keyof GovernanceStore,
  (typeof GOVERNANCE_METHODS)[number]
> extends never
  ? true
  : never = true;
void LOG_METHODS_COMPLETE;
void GOVERNANCE_METHODS_COMPLETE;

/**
 * An SQLite database as `declog serve` runs it, on two threads with one job each: this one
 * (HTTP, parsing, checking, sealing, opening sealed values) and a database thread that holds
 * the one connection and runs all SQL (see sqlite-writer-thread.ts). Every store method is
 * sent there: a read on a connection of its own here would find its page cache emptied by each
 * write of the other (an access entry per read), and a long read would hold up this thread.
 */
export async function openThreadedSqliteDatabase(
  path: string,
  options: { readonly backgroundCheckpoints?: boolean } = {},
): Promise<LogDatabase & ServingThreads> {
  const writer = await startSqliteWriter(path, {
    backgroundCheckpoints: options.backgroundCheckpoints ?? false,
  });
  const logs = new Map<string, EventStore>();
  return {
    threads: () => ({ serving: threadTaskId(), writer: writer.taskId }),
    async log(logId) {
      let log = logs.get(logId);
      if (log) return log;
      await writer.call({ kind: 'log', logId }, 'open', []);
      log = forwarded<EventStore>(writer, { kind: 'log', logId }, LOG_METHODS);
      log.close = async () => undefined;
      logs.set(logId, log);
      return log;
    },
    hasLog: async (logId) =>
      (await writer.call({ kind: 'database' }, 'hasLog', [logId])) as boolean,
    governance: forwarded<GovernanceStore>(writer, { kind: 'governance' }, GOVERNANCE_METHODS),
    scrub: async () => {
      await writer.call({ kind: 'database' }, 'scrub', []);
    },
    close: () => writer.close(),
  };
}

/** An object whose methods `methods` each run on the database thread. */
function forwarded<T>(
  writer: SqliteWriter,
  target: WriterTarget,
  methods: readonly string[],
): T & { close?: () => Promise<void> } {
  const store: Record<string, unknown> = {};
  for (const method of methods) {
    store[method] = (...args: unknown[]) => writer.call(target, method, args);
  }
  return store as T & { close?: () => Promise<void> };
}
