import { Worker } from 'node:worker_threads';
import type { PreparedEvent, SealableText } from '@declog/core';
import { DeclogError, type ErrorCode, type ErrorDetail } from '../errors.js';
import type { IngestPolicy } from './ingest-events.js';
import type { PrepareEvents } from './prepare-events.js';
import type { Sealing } from './privacy/seal-events.js';
import type { SubjectKeyState } from './privacy/subject-keys.js';

export interface PrepareRequest {
  readonly kind: 'prepare';
  readonly id: number;
  readonly text: string;
  readonly ndjson: boolean;
  /** Structured-cloned with the request: policies are plain data and a key is bytes. */
  readonly policy?: IngestPolicy;
  /** Present when the batch's personal values are to be sealed: the free text sealed too. */
  readonly sealText?: readonly SealableText[];
}

/** The worker asks for the keys of the subjects a batch names, to seal it. */
export interface KeysRequest {
  readonly kind: 'keys';
  readonly id: number;
  readonly subjects: readonly string[];
}

/** The keys asked for, or that the batch is abandoned (its keys could not be had). */
export type KeysReply =
  | {
      readonly kind: 'keys';
      readonly id: number;
      readonly ok: true;
      readonly keys: ReadonlyMap<string, SubjectKeyState>;
    }
  | { readonly kind: 'keys'; readonly id: number; readonly ok: false };

export type PrepareReply =
  | {
      readonly kind: 'prepared';
      readonly id: number;
      readonly ok: true;
      readonly events: readonly PreparedEvent[];
    }
  | {
      readonly kind: 'prepared';
      readonly id: number;
      readonly ok: false;
      readonly error: { code?: ErrorCode; message: string; details?: readonly ErrorDetail[] };
    };

export interface PreparePool {
  readonly prepare: PrepareEvents;
  close(): Promise<void>;
}

interface Pending {
  readonly sealing: Sealing | undefined;
  resolve(events: readonly PreparedEvent[]): void;
  reject(error: unknown): void;
}

/**
 * A batch's objects (parsed, validated, encoded) live until its subjects' keys come back from
 * the main thread. With the default young generation they outlive a collection or two and
 * are copied to the old one; in one this size most die young. Measured on a batch of 1,000
 * decisions: about a quarter less time collecting garbage in the worker.
 */
const YOUNG_GENERATION_MB = 96;

/**
 * Worker threads that prepare ingest bodies (parse, validate, canonicalise, seal), so that a
 * second core does that work while the main thread writes the previous batch. A worker asks
 * this thread for the subject keys a batch needs, which live in the database. Each request
 * goes to the worker with the fewest in flight; a worker that dies fails its requests and is
 * replaced.
 */
export function createPreparePool(size: number): PreparePool {
  const script = new URL('./prepare-worker.js', import.meta.url);
  let nextId = 0;
  let closing = false;
  const workers = Array.from({ length: size }, () => start());

  function start() {
    const slot = {
      worker: new Worker(script, {
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      }),
      pending: new Map<number, Pending>(),
    };
    slot.worker.on('message', (reply: PrepareReply | KeysRequest) => {
      const pending = slot.pending.get(reply.id);
      if (!pending) return;
      if (reply.kind === 'keys') {
        answerKeys(slot, reply, pending);
        return;
      }
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

  function answerKeys(slot: ReturnType<typeof start>, request: KeysRequest, pending: Pending) {
    const post = (reply: KeysReply) => slot.worker.postMessage(reply);
    if (!pending.sealing) {
      post({ kind: 'keys', id: request.id, ok: false });
      return;
    }
    pending.sealing.keysFor(request.subjects).then(
      (keys) => post({ kind: 'keys', id: request.id, ok: true, keys }),
      (error: unknown) => {
        // The store's own error (an outage is a 503) goes to the caller; the worker drops
        // the batch.
        slot.pending.delete(request.id);
        pending.reject(error);
        post({ kind: 'keys', id: request.id, ok: false });
      },
    );
  }

  function fail(slot: ReturnType<typeof start>, error: Error) {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
  }

  return {
    prepare(text, ndjson, policy, sealing) {
      const slot = workers.reduce((best, w) => (w.pending.size < best.pending.size ? w : best));
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { sealing, resolve, reject });
        const request: PrepareRequest = {
          kind: 'prepare',
          id,
          text,
          ndjson,
          ...(policy ? { policy } : {}),
          ...(sealing ? { sealText: sealing.sealText } : {}),
        };
        slot.worker.postMessage(request);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((slot) => slot.worker.terminate()));
    },
  };
}
