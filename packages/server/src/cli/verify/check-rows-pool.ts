import { Worker } from 'node:worker_threads';
import type { CheckRows, CheckedRows } from '../../services/ledger/check-rows.js';
import { checkedRowsOf, type CheckedRowsMessage } from './checked-rows-message.js';

export interface CheckRowsPool {
  readonly checkRows: CheckRows;
  close(): Promise<void>;
}

/** This thread also adds every leaf to the tree, so it takes a smaller part of each range. */
const HERE_WEIGHT = 0.8;

/**
 * `size` worker threads that read and check the stored rows of the log at `location` (its
 * default log, or the log `logId` of the database there), each with its own read-only
 * connection, beside `here`, which checks rows on this thread. A call splits its range between
 * the workers that have started and `here`, and joins the answers in order, so the result is
 * the same as checking the range on one thread. Until a worker has started, `here` checks
 * whole ranges: the work begins at once instead of after the workers' start-up.
 */
export function createCheckRowsPool(
  location: string,
  size: number,
  here: CheckRows,
  logId?: string,
): CheckRowsPool {
  const script = new URL('./check-rows-worker.js', import.meta.url);
  const pending = new Map<number, { resolve(r: CheckedRows): void; reject(e: Error): void }>();
  const started = new Set<Worker>();
  let nextId = 0;
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(script, { workerData: { location, logId } });
    worker.on('message', (reply: ({ id: number } & CheckedRowsMessage) | { started: true }) => {
      if ('started' in reply) {
        started.add(worker);
        return;
      }
      pending.get(reply.id)?.resolve(checkedRowsOf(reply));
      pending.delete(reply.id);
    });
    worker.on('error', (error) => {
      started.delete(worker);
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
      // Checking is synchronous work: let the news of a worker that started come in first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const ready = workers.filter((worker) => started.has(worker));
      if (ready.length === 0) return here(position, count);
      const share = Math.ceil(count / (ready.length + HERE_WEIGHT));
      const ranges = [...ready, here].map((_, i) => ({
        from: position + i * share,
        count: Math.max(0, Math.min(share, count - i * share)),
      }));
      // The workers' parts are sent first; this thread checks its part meanwhile.
      const asked = ranges.map((range, i) => {
        const worker = ready[i];
        return worker ? send(worker, range.from, range.count) : here(range.from, range.count);
      });
      const parts = await Promise.all(asked);
      const leafHashes: Uint8Array[] = [];
      let rowsRead = 0;
      let pruned = 0;
      for (const [i, part] of parts.entries()) {
        leafHashes.push(...part.leafHashes);
        rowsRead += part.rowsRead;
        pruned += part.pruned;
        if (part.problem) return { rowsRead, leafHashes, pruned, problem: part.problem };
        // A part that read fewer rows than asked ends the range: a gap follows.
        if (part.rowsRead < (ranges[i]?.count ?? 0)) break;
      }
      return { rowsRead, leafHashes, pruned, problem: null };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
