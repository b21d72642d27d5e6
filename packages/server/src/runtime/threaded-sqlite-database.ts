import type { EventStore, GovernanceStore, LogDatabase } from '@declog/core';
import { openSqliteDatabase } from '../store/sqlite/sqlite-database.js';
import { startSqliteWriter, type SqliteWriter } from './sqlite-writer.js';
import { threadTaskId } from './thread-task-id.js';
import { GOVERNANCE_WRITES, LOG_WRITES } from './writer-protocol.js';

/** The threads a database is served on, by job, as their task ids (see threadTaskId). */
export interface ServingThreads {
  threads(): Readonly<Record<string, number | null>>;
}

/**
 * An SQLite database as `declog serve` runs it, on two threads with one job each: this one
 * (HTTP, parsing, checking, sealing, and reads on a read-only connection of its own) and a
 * writer thread that holds the only writing connection and runs SQL alone (see
 * sqlite-writer-thread.ts). Every method that changes the file is sent to the writer; every
 * other one reads here. A read that needs the decision index asks the writer to bring it up to
 * the log first when it lags. The writer opens (and migrates) the file before this connection.
 */
export async function openThreadedSqliteDatabase(
  path: string,
  options: { readonly backgroundCheckpoints?: boolean } = {},
): Promise<LogDatabase & ServingThreads> {
  const writer = await startSqliteWriter(path, {
    backgroundCheckpoints: options.backgroundCheckpoints ?? false,
  });
  let reader: ReturnType<typeof openSqliteDatabase>;
  try {
    reader = openSqliteDatabase(path, {
      readonly: true,
      catchUpIndex: (logId) => writer.call({ kind: 'log', logId }, 'catchUpIndex', []),
    });
  } catch (error) {
    await writer.close();
    throw error;
  }
  const logs = new Map<string, EventStore>();
  return {
    threads: () => ({ serving: threadTaskId(), writer: writer.taskId }),
    async log(logId) {
      let log = logs.get(logId);
      if (log) return log;
      if (!(await reader.hasLog(logId))) await writer.call({ kind: 'log', logId }, 'create', []);
      log = splitLog(reader.logSync(logId), writer, logId);
      logs.set(logId, log);
      return log;
    },
    hasLog: (logId) => reader.hasLog(logId),
    governance: splitGovernance(reader.governance, writer),
    scrub: async () => {
      await writer.call({ kind: 'database' }, 'scrub', []);
    },
    async close() {
      await reader.close();
      await writer.close();
    },
  };
}

/** A log whose reads run on `reads` and whose changes run on the writer thread. */
function splitLog(reads: EventStore, writer: SqliteWriter, logId: string): EventStore {
  const store: Record<string, unknown> = { ...reads };
  for (const method of LOG_WRITES) {
    store[method] = (...args: unknown[]) => writer.call({ kind: 'log', logId }, method, args);
  }
  store['close'] = async () => undefined;
  return store as unknown as EventStore;
}

function splitGovernance(reads: GovernanceStore, writer: SqliteWriter): GovernanceStore {
  const store: Record<string, unknown> = { ...reads };
  for (const method of GOVERNANCE_WRITES) {
    store[method] = (...args: unknown[]) => writer.call({ kind: 'governance' }, method, args);
  }
  return store as unknown as GovernanceStore;
}
