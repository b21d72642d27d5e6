// Database-thread entry: the one connection to an SQLite database while `declog serve` runs.
// The serving thread parses, checks and seals ingest bodies and opens sealed values for
// readers; every read and write of the file comes here, one request at a time, so the serving
// thread never waits on SQLite (its write lock, a commit's flush, a long query) and the
// connection's page cache stays warm.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { EventStore } from '@declog/core';
import { openSqliteDatabase, type SqliteDatabase } from '../store/sqlite/sqlite-database.js';
import { threadTaskId } from './thread-task-id.js';
import { failureOf } from './writer-failure.js';
import type { WriterData, WriterReady, WriterReply, WriterRequest } from './writer-protocol.js';

if (!parentPort) throw new Error('sqlite-writer-thread must run in a worker thread');
const port = parentPort;
const { path, backgroundCheckpoints } = workerData as WriterData;

let database: SqliteDatabase | null = null;
try {
  database = openSqliteDatabase(path, { backgroundCheckpoints });
  port.postMessage({ ready: true, taskId: threadTaskId() } satisfies WriterReady);
} catch (error) {
  // With nothing left listening, the thread ends once the message is sent.
  port.postMessage({ ready: false, error: failureOf(error) } satisfies WriterReady);
  port.close();
}
if (database !== null) serveWrites(database, port);

/** Answers the serving thread's requests, one at a time, until the database is closed. */
function serveWrites(db: SqliteDatabase, replies: MessagePort) {
  /** Logs whose decision index may lag, caught up once no request waits. */
  const lagging = new Set<string>();
  let idleScheduled = false;
  let closing = false;
  const catchUpWhenIdle = () => {
    idleScheduled = false;
    if (closing) return;
    // Only logs with decisions waiting: the rest catch up when a read needs it.
    for (const logId of lagging) {
      const index = db.logSync(logId).decisionIndex;
      try {
        if (index.queued() > 0) index.catchUp();
      } catch {
        // Nobody waits for this catch-up: the next read that needs the index runs it again
        // and answers its caller with the failure.
      }
    }
    lagging.clear();
  };

  const handle = async ({ target, method, args }: WriterRequest): Promise<unknown> => {
    // A request sent while the database closes (an access entry of a last answer) is refused,
    // not run on a closed connection.
    if (closing) throw new Error('the database is closed');
    if (target.kind === 'log') {
      const log = db.logSync(target.logId);
      if (method === 'open') return undefined;
      if (method === 'append' || method === 'appendSealed') lagging.add(target.logId);
      const call = log[method as keyof EventStore] as (...a: unknown[]) => Promise<unknown>;
      return call.apply(log, [...args]);
    }
    if (target.kind === 'governance') {
      const governance = db.governance as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      const call = governance[method];
      if (!call) throw new Error(`no governance method ${method}`);
      return call.apply(db.governance, [...args]);
    }
    if (method === 'hasLog') return db.hasLog(args[0] as string);
    if (method === 'scrub') return db.scrub();
    if (method === 'close') {
      closing = true;
      lagging.clear();
      await db.close();
      // The port closes once the reply is on its way: the thread then ends.
      setImmediate(() => replies.close());
      return undefined;
    }
    throw new Error(`no database method ${method}`);
  };

  replies.on('message', (request: WriterRequest) => {
    handle(request).then(
      (value) => replies.postMessage({ id: request.id, ok: true, value } satisfies WriterReply),
      (error: unknown) =>
        replies.postMessage({
          id: request.id,
          ok: false,
          error: failureOf(error),
        } satisfies WriterReply),
    );
    // Messages that arrived together are handled first; the index catches up after them.
    if (!idleScheduled) {
      idleScheduled = true;
      setImmediate(catchUpWhenIdle);
    }
  });
}
