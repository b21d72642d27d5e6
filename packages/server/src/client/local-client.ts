import { v7 as uuidv7 } from 'uuid';
import { parseDecisionQuery, type EventStore } from '@declog/core';
import { parseEventBody } from '../services/parse-event-body.js';
import { ingestEvents } from '../services/ingest-events.js';
import { listDecisions, readDecisionChain } from '../services/read-events.js';
import type { LogClient } from './log-client.js';

/** A client that works on a store directly, with the server's own services. */
export function localClient(store: EventStore, now: () => Date = () => new Date()): LogClient {
  return {
    ingest: (lines) =>
      ingestEvents({ store, now, newId: uuidv7 }, parseEventBody(lines.join('\n'), true)),
    decisionChain: async (id) => (await readDecisionChain(store, id)).json,
    listDecisions: async (params) => (await listDecisions(store, parseDecisionQuery(params))).json,
    close: () => store.close(),
  };
}
