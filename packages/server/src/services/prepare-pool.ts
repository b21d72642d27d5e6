import { Worker } from 'node:worker_threads';
import type { PreparedEvent } from '@declog/core';
import { DeclogError, type ErrorCode, type ErrorDetail } from '../errors.js';
import type { IngestPolicy } from './ingest-events.js';
import type { PrepareEvents } from './prepare-events.js';

export interface PrepareRequest {
  readonly id: number;
  readonly text: string;
  readonly ndjson: boolean;
  /** Structured-cloned with the request: policies are plain data and a key is bytes. */
  readonly policy?: IngestPolicy;
}

export type PrepareReply =
  | { readonly id: number; readonly ok: true; readonly events: readonly PreparedEvent[] }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { code?: ErrorCode; message: string; details?: readonly ErrorDetail[] };
    };

export interface PreparePool {
  readonly prepare: PrepareEvents;
  close(): Promise<void>;
}

interface Pending {
  resolve(events: readonly PreparedEvent[]): void;
  reject(error: Error): void;
}

/**
 * Worker threads that prepare ingest bodies (parse, validate, canonicalise), so that a second
 * core does that work while the main thread writes the previous batch. Each request goes to
 * the worker with the fewest in flight; a worker that dies fails its requests and is replaced.
 */
export function createPreparePool(size: number): PreparePool {
  const script = new URL('./prepare-worker.js', import.meta.url);
  let nextId = 0;
  let closing = false;
  const workers = Array.from({ length: size }, () => start());

  function start() {
    const slot = { worker: new Worker(script), pending: new Map<number, Pending>() };
    slot.worker.on('message', (reply: PrepareReply) => {
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      slot.pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.events);
      else if (reply.error.code) {
        pending.reject(
          new DeclogError(reply.error.code, reply.error.message, reply.error.details ?? []),
        );
      } else pending.reject(new Error(`prepare worker: ${reply.error.message}`));
    });
    slot.worker.on('error', (error) => fail(slot, error));
    slot.worker.on('exit', (code) => {
      fail(slot, new Error(`prepare worker exited with code ${code}`));
      if (!closing) workers[workers.indexOf(slot)] = start();
    });
    return slot;
  }

  function fail(slot: ReturnType<typeof start>, error: Error) {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
  }

  return {
    prepare(text, ndjson, policy) {
      const slot = workers.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        const request: PrepareRequest = policy
          ? { id, text, ndjson, policy }
          : { id, text, ndjson };
        slot.worker.postMessage(request);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((slot) => slot.worker.terminate()));
    },
  };
}
