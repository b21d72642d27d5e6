import type { PreparedEvent } from '@declog/core';
import { parseEventBody } from './parse-event-body.js';
import { prepareBatchWithSources, type IngestPolicy } from './ingest-events.js';
import { sealPersonalEvents, type Sealing } from './privacy/seal-events.js';

/**
 * Turns an ingest body into prepared events, masked by the tenant's policy when one is given
 * and with personal values sealed when `sealing` is, or throws a DeclogError; possibly
 * off-thread.
 */
export type PrepareEvents = (
  text: string,
  ndjson: boolean,
  policy?: IngestPolicy,
  sealing?: Sealing,
) => Promise<readonly PreparedEvent[]>;

/** Prepares on the calling thread. */
export function prepareInThread(newId: () => string): PrepareEvents {
  return async (text, ndjson, policy, sealing) => {
    const batch = prepareBatchWithSources(parseEventBody(text, ndjson), newId, policy);
    return sealing ? sealPersonalEvents(batch.prepared, sealing, batch.sources) : batch.prepared;
  };
}
