import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_TENANT,
  parseDecisionQuery,
  type EventStore,
  type GovernanceStore,
} from '@declog/core';
import { ingestService } from '../services/ingest/ingest-service.js';
import { modelPolicies } from '../services/analytics/model-policies.js';
import { modelRegistry } from '../services/analytics/model-registry.js';
import type { SealingKeySource } from '../services/ingest/sealing-keys.js';
import { listDecisions, plainRows, readDecisionChain } from '../services/read-events.js';
import type { PseudonymKeys } from '../services/governance/pseudonym-keys.js';
import { tenantPolicies } from '../services/governance/tenant-policies.js';
import { revealPersonal } from '../services/privacy/reveal-personal.js';
import type { SubjectKeys } from '../services/privacy/subject-keys.js';
import type { LogClient } from './log-client.js';

/** What a local client applies as the server would: the tenant's policies and subject keys. */
export interface LocalGovernance {
  readonly tenant: string;
  readonly governance: GovernanceStore;
  /** Subject keys, when the database's master key is at hand. */
  readonly keys: SubjectKeys | null;
  /** The keys ingest seals with, likewise. */
  readonly sealingKeys: SealingKeySource | null;
  /** Pseudonym keys, likewise. */
  readonly pseudonymKeys: PseudonymKeys | null;
}

/**
 * A client that works on a store directly, with the server's own services: events are masked
 * by the tenant's policy and their personal values sealed, as `declog serve` would, and reads
 * open sealed values when the master key is at hand.
 */
export function localClient(
  store: EventStore,
  governed: LocalGovernance | null,
  now: () => Date = () => new Date(),
): LogClient {
  const policies = governed ? tenantPolicies(governed.governance, governed.pseudonymKeys) : null;
  const reveal = governed?.keys ? revealPersonal(store, governed.tenant, governed.keys) : plainRows;
  const ingest = ingestService({
    log: async () => store,
    // The operator relays any author it names (see annotationAuthors): no policy is read.
    policies: policies ?? { ingestPolicy: async () => undefined, relaysAuthors: async () => true },
    ...(governed
      ? { models: modelPolicies(governed.governance, modelRegistry(governed.governance)) }
      : {}),
    sealing: governed?.sealingKeys ?? null,
    now,
    newId: uuidv7,
  });
  return {
    async ingest(lines) {
      return ingest.ingest({
        tenant: governed?.tenant ?? DEFAULT_TENANT,
        principal: null,
        body: lines.join('\n'),
        ndjson: true,
      });
    },
    decisionChain: async (id) => (await readDecisionChain(store, id, reveal)).json,
    listDecisions: async (params) =>
      (await listDecisions(store, parseDecisionQuery(params), reveal)).json,
    close: () => store.close(),
  };
}
