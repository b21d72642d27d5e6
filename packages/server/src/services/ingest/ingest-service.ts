import {
  prepareEncoded,
  roleAllows,
  type AppendConflict,
  type AppendedItem,
  type Durability,
  type EventStore,
  type Submitter,
} from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { ModelPolicies } from '../analytics/model-policies.js';
import type { Principal } from '../governance/principal.js';
import { reviewerAnnotations } from '../governance/reviewer-annotations.js';
import type { TenantPolicies } from '../governance/tenant-policies.js';
import { parseEventBody } from '../parse-event-body.js';
import { checkEvents } from './check-events.js';
import { decisionSealing, sealHook, subjectsToSeal } from './seal-hook.js';
import type { SealingKeySource } from './sealing-keys.js';

export interface IngestDeps {
  /** Where a tenant's decision log is appended to. */
  readonly log: (tenant: string) => Promise<Pick<EventStore, 'append'>>;
  readonly policies: Pick<TenantPolicies, 'ingestPolicy'>;
  /** Subject keys to seal personal values with; null where there is no master key. */
  readonly sealing: SealingKeySource | null;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The tenant's model policy (naming convention, undeclared versions); none when absent. */
  readonly models?: Pick<ModelPolicies, 'refusals'>;
}

/** One ingest request: a body of events, from a key (or, null, the machine's operator). */
export interface IngestRequest {
  readonly tenant: string;
  readonly principal: Principal | null;
  readonly body: string;
  readonly ndjson: boolean;
  readonly durability?: Durability;
}

export interface IngestService {
  /**
   * Stores a request's events whole or not at all, and says for each whether it was created
   * or a duplicate. Throws a DeclogError naming every bad field of every bad event, or every
   * conflicting id.
   */
  ingest(request: IngestRequest): Promise<readonly AppendedItem[]>;
}

/** Appends sealed with keys that turn out stale are sealed again, this many times at most. */
const STALE_KEY_RETRIES = 3;

/**
 * The one path from an ingest body to its acknowledgement, for the HTTP API, the CLI and the
 * SDK's embedded mode: the role rule, parsing, the contract, the tenant's masking policy,
 * sealing under subject keys, and the append that sequences and stores the batch.
 */
export function ingestService(deps: IngestDeps): IngestService {
  return {
    async ingest({ tenant, principal, body, ndjson, durability }) {
      const parsed = parseEventBody(body, ndjson);
      // A reviewer adds annotations in its own name, and nothing else.
      const values =
        principal === null || roleAllows(principal.role, 'write:events')
          ? parsed
          : reviewerAnnotations(parsed, principal);
      const policy = await deps.policies.ingestPolicy(tenant);
      const events = checkEvents(values, deps.newId, policy);
      const refused = deps.models ? await deps.models.refusals(tenant, events) : [];
      if (refused.length > 0) {
        throw new DeclogError(
          'invalid_event',
          `${refused.length} of ${events.length} event(s) break the tenant's model policy; nothing was stored`,
          [...refused],
        );
      }
      const log = await deps.log(tenant);
      const submitter: Submitter =
        principal === null
          ? { keyId: null, readsContent: true }
          : { keyId: principal.keyId, readsContent: roleAllows(principal.role, 'read:decisions') };
      const sealing = decisionSealing(policy?.masking.seal ?? []);
      for (let attempt = 0; ; attempt += 1) {
        const subjects = deps.sealing ? subjectsToSeal(events, sealing) : [];
        const keys =
          deps.sealing && subjects.length > 0
            ? await deps.sealing.forBatch(tenant, subjects)
            : null;
        const seal = keys ? sealHook(keys.keys, sealing) : undefined;
        const prepared = events.map((event) => prepareEncoded(event, seal));
        const result = await log.append(prepared, deps.now().toISOString(), {
          submitter,
          ...(durability ? { durability } : {}),
          ...(keys ? { sealing: keys.sealing } : {}),
        });
        if (result.ok) {
          if (keys) deps.sealing?.stored(tenant, keys.sealing);
          return result.items;
        }
        if ('conflicts' in result) throw conflictError(result.conflicts);
        deps.sealing?.invalidate(tenant);
        if (attempt === STALE_KEY_RETRIES) {
          throw new DeclogError(
            'store_unavailable',
            'subject keys kept changing while this batch was sealed; retry',
          );
        }
      }
    },
  };
}

/** The answer to conflicting ids: per event, as much as the submitter may know. */
function conflictError(conflicts: readonly AppendConflict[]): DeclogError {
  return new DeclogError(
    'id_conflict',
    `${conflicts.length} event id(s) are already stored with different content, or taken; nothing was stored`,
    conflicts.map((c) => ({
      index: c.index,
      path: 'id',
      message:
        c.reason === 'content'
          ? `id "${c.id}" is already stored at seq ${c.seq} with different content`
          : `id "${c.id}" is taken`,
    })),
  );
}
