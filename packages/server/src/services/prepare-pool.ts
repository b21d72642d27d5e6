import { Worker } from 'node:worker_threads';
import type { PreparedEvent, SealableText } from '@declog/core';
import { DeclogError, type ErrorCode, type ErrorDetail } from '../errors.js';
import type { IngestPolicy } from './ingest-events.js';
import { parseEventBody } from './parse-event-body.js';
import type { PrepareEvents } from './prepare-events.js';
import { likelySubjects, maskingMayChangeSubjects, type Sealing } from './privacy/seal-events.js';
import type { KeyOffer, SubjectKeyState } from './privacy/subject-keys.js';

export interface PrepareRequest {
  readonly kind: 'prepare';
  readonly id: number;
  readonly text: string;
  readonly ndjson: boolean;
  /** Structured-cloned with the request: policies are plain data and a key is bytes. */
  readonly policy?: IngestPolicy;
  /** Present when the batch's personal values are to be sealed: the free text sealed too. */
  readonly sealText?: readonly SealableText[];
  /** Keys offered with the batch: the worker asks for those of other subjects only. */
  readonly offered?: ReadonlyMap<string, SubjectKeyState>;
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
 * the serving thread. With the default young generation they outlive a collection or two and
 * are copied to the old one; in one this size most die young. Measured on a batch of 1,000
 * decisions: about a quarter less time collecting garbage in the worker.
 */
const YOUNG_GENERATION_MB = 96;

/**
 * Worker threads that prepare ingest bodies (parse, validate, canonicalise, seal), so that a
 * second core does that work while the serving thread writes the previous batch. The subject
 * keys a batch needs live in the database, which this thread holds: it offers those of the
 * subjects a body names when the body arrives (parsing it once more to find them, which
 * costs less than a worker waiting for keys while this thread appends), and a worker asks for
 * any other. Each request goes to the worker with the fewest in flight; a worker that dies
 * fails its requests and is replaced.
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

  function run(
    text: string,
    ndjson: boolean,
    policy: IngestPolicy | undefined,
    sealing: Sealing | undefined,
    offered: ReadonlyMap<string, SubjectKeyState> | undefined,
  ): Promise<readonly PreparedEvent[]> {
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
        ...(offered ? { offered } : {}),
      };
      slot.worker.postMessage(request);
    });
  }

  return {
    async prepare(text, ndjson, policy, sealing) {
      // The keys are looked up (and made) now, while this thread is free: asked for later,
      // the worker would wait while this thread appends another batch.
      const offer = sealing ? await offerFor(sealing, text, ndjson, policy) : null;
      if (!offer) return run(text, ndjson, policy, sealing, undefined);
      try {
        const events = await run(text, ndjson, policy, sealing, offer.keys);
        const sealedFor = events.flatMap((event) =>
          event.personal ? [event.personal.subject] : [],
        );
        if (await offer.store(sealedFor)) return events;
      } finally {
        offer.release();
      }
      // Another writer stored a key first: seal again with the keys in force.
      return run(text, ndjson, policy, sealing, undefined);
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((slot) => slot.worker.terminate()));
    },
  };
}

/** Keys offered for the subjects a body likely names, or null (nothing to offer). */
async function offerFor(
  sealing: Sealing,
  text: string,
  ndjson: boolean,
  policy: IngestPolicy | undefined,
): Promise<KeyOffer | null> {
  // Checked before the body is parsed: under such masking nothing would be offered.
  if (!sealing.offerKeys || maskingMayChangeSubjects(policy?.masking)) return null;
  let events: readonly unknown[];
  try {
    events = parseEventBody(text, ndjson, false); // the worker checks it in full
  } catch {
    return null; // the worker answers a malformed body with the error it deserves
  }
  const subjects = likelySubjects(events, sealing.sealText, policy?.masking);
  return subjects.length === 0 ? null : sealing.offerKeys(subjects);
}
