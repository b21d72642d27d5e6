// Worker-thread entry: parses, validates, canonicalises and seals ingest bodies so that the
// serving thread's event loop is left to HTTP and the database.
import { parentPort } from 'node:worker_threads';
import type { SealableText } from '@declog/core';
import { v7 as uuidv7 } from 'uuid';
import { isDeclogError } from '../errors.js';
import { prepareInThread } from './prepare-events.js';
import type { KeysReply, KeysRequest, PrepareReply, PrepareRequest } from './prepare-pool.js';
import type { Sealing } from './privacy/seal-events.js';
import type { SubjectKeyState } from './privacy/subject-keys.js';

if (!parentPort) throw new Error('prepare-worker must run in a worker thread');
const port = parentPort;
const prepare = prepareInThread(uuidv7);

/** Batches waiting for their subjects' keys from the serving thread, by request id. */
const waitingForKeys = new Map<
  number,
  { resolve(keys: ReadonlyMap<string, SubjectKeyState>): void; reject(error: Error): void }
>();

/**
 * Sealing whose keys come from the serving thread, which holds the database: those offered with
 * the batch, and any other asked for.
 */
function sealingFor(
  id: number,
  sealText: readonly SealableText[],
  offered: ReadonlyMap<string, SubjectKeyState> | undefined,
): Sealing {
  const ask = (subjects: readonly string[]) =>
    new Promise<ReadonlyMap<string, SubjectKeyState>>((resolve, reject) => {
      waitingForKeys.set(id, { resolve, reject });
      port.postMessage({ kind: 'keys', id, subjects } satisfies KeysRequest);
    });
  return {
    sealText,
    keysFor: async (subjects) => {
      if (!offered) return ask(subjects);
      const missing = subjects.filter((subject) => !offered.has(subject));
      return missing.length === 0 ? offered : new Map([...offered, ...(await ask(missing))]);
    },
  };
}

port.on('message', (message: PrepareRequest | KeysReply) => {
  if (message.kind === 'keys') {
    const waiting = waitingForKeys.get(message.id);
    waitingForKeys.delete(message.id);
    if (message.ok) waiting?.resolve(message.keys);
    else waiting?.reject(new Error('the batch was abandoned'));
    return;
  }
  const request = message;
  const sealing =
    request.sealText === undefined
      ? undefined
      : sealingFor(request.id, request.sealText, request.offered);
  prepare(request.text, request.ndjson, request.policy, sealing).then(
    (events) =>
      port.postMessage({
        kind: 'prepared',
        id: request.id,
        ok: true,
        events,
      } satisfies PrepareReply),
    (error: unknown) => {
      const reply: PrepareReply = isDeclogError(error)
        ? {
            kind: 'prepared',
            id: request.id,
            ok: false,
            error: { code: error.code, message: error.message, details: error.details },
          }
        : { kind: 'prepared', id: request.id, ok: false, error: { message: String(error) } };
      port.postMessage(reply);
    },
  );
});
