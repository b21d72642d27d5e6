// Worker-thread entry: parses, validates and canonicalises ingest bodies so that the main
// thread's event loop is left to HTTP and the database.
import { parentPort } from 'node:worker_threads';
import { v7 as uuidv7 } from 'uuid';
import { isDeclogError } from '../errors.js';
import { prepareInThread } from './prepare-events.js';
import type { PrepareReply, PrepareRequest } from './prepare-pool.js';

const prepare = prepareInThread(uuidv7);
const port = parentPort;
if (!port) throw new Error('prepare-worker must run in a worker thread');

port.on('message', (request: PrepareRequest) => {
  prepare(request.text, request.ndjson, request.policy).then(
    (events) => port.postMessage({ id: request.id, ok: true, events } satisfies PrepareReply),
    (error: unknown) => {
      const reply: PrepareReply = isDeclogError(error)
        ? {
            id: request.id,
            ok: false,
            error: { code: error.code, message: error.message, details: error.details },
          }
        : { id: request.id, ok: false, error: { message: String(error) } };
      port.postMessage(reply);
    },
  );
});
