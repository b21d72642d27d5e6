import { Worker } from 'node:worker_threads';
import {
  joinCheckedRows,
  type CheckRows,
  type CheckedRows,
} from '../../services/ledger/check-rows.js';
import type { IndexTotals } from '../../services/ledger/index-totals.js';
import { checkedRowsOf, type CheckedRowsMessage } from './checked-rows-message.js';
import type { IndexAuditSettings } from './index-audit-settings.js';

export interface CheckRowsPool {
  readonly checkRows: CheckRows;
  /**
   * The stored side of the log-wide index comparisons for seqs below `size`, summed on a
   * thread of its own while the pool checks rows.
   */
  indexTotals(size: number): Promise<IndexTotals>;
  close(): Promise<void>;
}

/** This thread also adds every leaf to the tree, so it takes a smaller part of each range. */
const HERE_WEIGHT = 0.8;

/** What every worker of a pool reads: which log, and how its index is audited (if it is). */
export type PoolAudit = IndexAuditSettings & { readonly checkIndex: boolean };

/**
 * `size` worker threads that read and check the stored rows of the log `audit.logId` of the
 * database at `location`, each with its own read-only connection, beside `here`, which checks
 * rows on this thread. A call splits its range between the workers that have started and
 * `here`, and joins the answers in order, so the result is the same as checking the range on
 * one thread. Until a worker has started, `here` checks whole ranges: the work begins at once
 * instead of after the workers' start-up.
 */
export function createCheckRowsPool(
  location: string,
  size: number,
  here: CheckRows,
  audit: PoolAudit,
): CheckRowsPool {
  const script = new URL('./check-rows-worker.js', import.meta.url);
  const pending = new Map<number, { resolve(r: unknown): void; reject(e: Error): void }>();
  const started = new Set<Worker>();
  let nextId = 0;
  const spawn = () => {
    const worker = new Worker(script, { workerData: { location, audit } });
    worker.on(
      'message',
      (
        reply:
          ({ id: number } & (CheckedRowsMessage | { totals: IndexTotals })) | { started: true },
      ) => {
        if ('started' in reply) {
          started.add(worker);
          return;
        }
        pending.get(reply.id)?.resolve('totals' in reply ? reply.totals : checkedRowsOf(reply));
        pending.delete(reply.id);
      },
    );
    worker.on('error', (error) => {
      started.delete(worker);
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
    return worker;
  };
  const workers = Array.from({ length: size }, spawn);
  const extra: Worker[] = [];

  const send = <T>(worker: Worker, request: Record<string, number>) =>
    new Promise<T>((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      worker.postMessage({ id, ...request });
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
        return worker
          ? send<CheckedRows>(worker, { position: range.from, count: range.count })
          : here(range.from, range.count);
      });
      const parts = await Promise.all(asked);
      return joinCheckedRows(
        parts.map((checked, i) => ({ asked: ranges[i]?.count ?? 0, checked })),
      );
    },
    async indexTotals(logSize) {
      // A thread of its own: the pool's are kept busy with rows meanwhile.
      const worker = spawn();
      extra.push(worker);
      try {
        return await send<IndexTotals>(worker, { totals: logSize });
      } finally {
        void worker.terminate();
      }
    },
    async close() {
      await Promise.all([...workers, ...extra].map((worker) => worker.terminate()));
    },
  };
}
