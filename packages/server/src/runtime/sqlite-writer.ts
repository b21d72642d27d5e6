import { Worker } from 'node:worker_threads';
import { errorOf } from './writer-failure.js';
import type {
  WriterData,
  WriterReady,
  WriterReply,
  WriterRequest,
  WriterTarget,
} from './writer-protocol.js';

/** The serving thread's handle on the SQLite writer thread. */
export interface SqliteWriter {
  /** The writer thread's task id (see threadTaskId). */
  readonly taskId: number | null;
  call(target: WriterTarget, method: string, args: readonly unknown[]): Promise<unknown>;
  /** Closes the database on the writer thread (indexing what waits) and ends the thread. */
  close(): Promise<void>;
}

/**
 * Starts the thread that writes the SQLite database at `path` and resolves once it has opened
 * and migrated it (or rejects with why it could not). A request that the thread dies under
 * fails; the thread is not restarted, as the database may be in any state a crash leaves.
 */
export function startSqliteWriter(
  path: string,
  options: { readonly backgroundCheckpoints: boolean },
): Promise<SqliteWriter> {
  const worker = new Worker(new URL('./sqlite-writer-thread.js', import.meta.url), {
    workerData: { path, backgroundCheckpoints: options.backgroundCheckpoints } satisfies WriterData,
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let exited: Error | null = null;
  let closing = false;

  const failAll = (error: Error) => {
    exited = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };

  return new Promise<SqliteWriter>((resolve, reject) => {
    worker.once('error', (error) => {
      reject(error);
      failAll(error);
    });
    worker.once('exit', (code) => {
      const error = new Error(
        closing && code === 0
          ? 'the database is closed'
          : `the SQLite writer thread stopped (exit code ${code})`,
      );
      reject(error);
      failAll(error);
    });
    worker.once('message', (ready: WriterReady) => {
      if (!ready.ready) {
        reject(errorOf(ready.error));
        return;
      }
      worker.on('message', (reply: WriterReply) => {
        const waiting = pending.get(reply.id);
        if (!waiting) return;
        pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.value);
        else waiting.reject(errorOf(reply.error));
      });
      const call = (target: WriterTarget, method: string, args: readonly unknown[]) =>
        new Promise<unknown>((resolveCall, rejectCall) => {
          if (exited) {
            rejectCall(exited);
            return;
          }
          const id = (nextId += 1);
          pending.set(id, { resolve: resolveCall, reject: rejectCall });
          worker.postMessage({ id, target, method, args } satisfies WriterRequest);
        });
      resolve({
        taskId: ready.taskId,
        call,
        async close() {
          if (exited || closing) return;
          closing = true;
          const ended = new Promise<void>((done) => worker.once('exit', () => done()));
          await call({ kind: 'database' }, 'close', []);
          await ended;
        },
      });
    });
  });
}
