import type { PreparedEvent } from '@declog/core';
import { parseEventBody } from './parse-event-body.js';
import { prepareBatch } from './ingest-events.js';

/** Turns an ingest body into prepared events, or throws a DeclogError; possibly off-thread. */
export type PrepareEvents = (text: string, ndjson: boolean) => Promise<readonly PreparedEvent[]>;

/** Prepares on the calling thread. */
export function prepareInThread(newId: () => string): PrepareEvents {
  return async (text, ndjson) => prepareBatch(parseEventBody(text, ndjson), newId);
}
