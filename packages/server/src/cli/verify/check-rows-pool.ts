import { Worker } from 'node:worker_threads';
import type { CheckRows, CheckedRows } from '../../services/ledger/check-rows.js';
import { checkedRowsOf, type CheckedRowsMessage } from './checked-rows-message.js';

export interface CheckRowsPool {
  readonly checkRows: CheckRows;
  close(): Promise<void>;
}

/**
 * Worker threads that read and check the stored rows of the log at `location` (its default
 * log, or the log `logId` of the database there), each with its own read-only connection. A call splits its range between them and joins the answers
 * in order, so the result is the same as checking the range on one thread.
 */
export function createCheckRowsPool(location: string, size: number, logId?: string): CheckRowsPool {
  const script = new URL('./check-rows-worker.js', import.meta.url);
  const pending = new Map<number, { resolve(r: CheckedRows): void; reject(e: Error): void }>();
  let nextId = 0;
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(script, { workerData: { location, logId } });
    worker.on('message', (reply: { id: number } & CheckedRowsMessage) => {
      pending.get(reply.id)?.resolve(checkedRowsOf(reply));
      pending.delete(reply.id);
    });
    worker.on('error', (error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
    return worker;
  });

  const send = (worker: Worker, position: number, count: number) =>
    new Promise<CheckedRows>((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, position, count });
    });

  return {
    async checkRows(position, count) {
      const share = Math.ceil(count / workers.length);
      const parts = await Promise.all(
        workers.map((worker, i) =>
          send(worker, position + i * share, Math.max(0, Math.min(share, count - i * share))),
        ),
      );
      const leafHashes: Uint8Array[] = [];
      let rowsRead = 0;
      let pruned = 0;
      for (const part of parts) {
        leafHashes.push(...part.leafHashes);
        rowsRead += part.rowsRead;
        pruned += part.pruned;
        if (part.problem) return { rowsRead, leafHashes, pruned, problem: part.problem };
        // A part that read fewer rows than asked ends the range: a gap follows.
        if (part.rowsRead < share) break;
      }
      return { rowsRead, leafHashes, pruned, problem: null };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
