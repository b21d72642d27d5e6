// Writer-thread entry: the one connection that writes an SQLite database while `declog serve`
// runs. The serving thread parses, checks, seals and sequences ingest bodies and answers reads
// on a connection of its own; everything that changes the file comes here, one request at a
// time, so the serving thread never waits on SQLite's write lock or a commit's flush.
import { parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '@declog/core';
import { openSqliteDatabase } from '../store/sqlite/sqlite-database.js';
import { failureOf } from './writer-failure.js';
import type { WriterData, WriterReady, WriterReply, WriterRequest } from './writer-protocol.js';

if (!parentPort) throw new Error('sqlite-writer-thread must run in a worker thread');
const port = parentPort;
const { path, backgroundCheckpoints } = workerData as WriterData;

let database: ReturnType<typeof openSqliteDatabase>;
try {
  database = openSqliteDatabase(path, { backgroundCheckpoints });
  port.postMessage({ ready: true } satisfies WriterReady);
} catch (error) {
  port.postMessage({ ready: false, error: failureOf(error) } satisfies WriterReady);
  process.exit(1);
}

/** Logs whose decision index may lag, caught up when no request waits. */
const lagging = new Set<string>();
let idleScheduled = false;

function catchUpWhenIdle() {
  idleScheduled = false;
  for (const logId of lagging) database.logSync(logId).decisionIndex.catchUp();
  lagging.clear();
}

async function handle(request: WriterRequest): Promise<unknown> {
  const { target, method, args } = request;
  if (target.kind === 'log') {
    const log = database.logSync(target.logId);
    if (method === 'catchUpIndex') return log.decisionIndex.catchUp();
    if (method === 'create') return undefined;
    lagging.add(target.logId);
    const call = log[method as keyof EventStore] as (...a: unknown[]) => Promise<unknown>;
    return call.apply(log, [...args]);
  }
  if (target.kind === 'governance') {
    const governance = database.governance as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    const call = governance[method];
    if (!call) throw new Error(`no governance method ${method}`);
    return call.apply(database.governance, [...args]);
  }
  if (method === 'scrub') return database.scrub();
  if (method === 'close') {
    await database.close();
    // The port closes once the reply is on its way: the thread then ends.
    setImmediate(() => port.close());
    return undefined;
  }
  throw new Error(`no database method ${method}`);
}

port.on('message', (request: WriterRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies WriterReply),
    (error: unknown) =>
      port.postMessage({
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
