import {
  prepareEncoded,
  roleAllows,
  type AppendConflict,
  type AppendedItem,
  type Durability,
  type EventStore,
  type PreparedEvent,
  type Submitter,
} from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { ModelPolicies } from '../analytics/model-policies.js';
import type { Principal } from '../governance/principal.js';
import { annotationAuthors } from '../governance/annotation-authors.js';
import type { TenantPolicies } from '../governance/tenant-policies.js';
import { NO_TURNS, forEachInTurns, type CpuTurns } from '../cpu-turns.js';
import { parseEventBody } from '../parse-event-body.js';
import { checkEvents } from './check-events.js';
import { decisionSealing, sealHook, subjectsToSeal } from './seal-hook.js';
import type { SealingKeySource } from './sealing-keys.js';

export interface IngestDeps {
  /** Where a tenant's decision log is appended to. */
  readonly log: (tenant: string) => Promise<Pick<EventStore, 'append'>>;
  readonly policies: Pick<TenantPolicies, 'ingestPolicy' | 'relaysAuthors'>;
  /** Subject keys to seal personal values with; null where there is no master key. */
  readonly sealing: SealingKeySource | null;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Where checking and sealing a batch lets other requests in; none by default. */
  readonly turns?: CpuTurns;
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

/** Appends sealed with keys that an erasure made stale are sealed again, this many times at most. */
const STALE_KEY_RETRIES = 3;

/** Attempts of one batch at most, whatever made its keys stale. */
const MAX_ATTEMPTS = 8;

/**
 * The one path from an ingest body to its acknowledgement, for the HTTP API, the CLI and the
 * SDK's embedded mode: the role rule, parsing, the contract, the tenant's masking policy,
 * sealing under subject keys, and the append that sequences and stores the batch.
 */
export function ingestService(deps: IngestDeps): IngestService {
  const turns = deps.turns ?? NO_TURNS;
  return {
    async ingest({ tenant, principal, body, ndjson, durability }) {
      // Parsing takes a turn too: with many bodies arriving at once, each turn of the event
      // loop parses one, and connections and probes are served between them.
      await turns.next();
      const parsed = parseEventBody(body, ndjson);
      // A reviewer adds annotations in its own name, and nothing else; an annotation is in
      // its key's principal's name unless the tenant lets producer keys relay authors.
      const { values, postedBy } = await annotationAuthors(parsed, principal, () =>
        deps.policies.relaysAuthors(tenant),
      );
      const policy = await deps.policies.ingestPolicy(tenant);
      const events = await checkEvents(values, deps.newId, policy, postedBy, turns);
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
      let erasures = 0;
      for (let attempt = 0; ; attempt += 1) {
        const subjects = deps.sealing ? subjectsToSeal(events, sealing) : [];
        const keys =
          deps.sealing && subjects.length > 0
            ? await deps.sealing.forBatch(tenant, subjects)
            : null;
        const seal = keys ? sealHook(keys.keys, sealing) : undefined;
        const prepared: PreparedEvent[] = [];
        await forEachInTurns(events, (event) => prepared.push(prepareEncoded(event, seal)), turns);
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
        // Stale keys: an erasure moved the epoch, or another writer stored a key first for a
        // subject new here. The latter is settled for good before sealing again; only erasures
        // that keep coming (or a store that keeps refusing) make the batch give up.
        const settled = keys ? await deps.sealing?.settle(tenant, keys.sealing) : 'erased';
        if (settled !== 'keys') erasures += 1;
        if (erasures > STALE_KEY_RETRIES || attempt + 1 >= MAX_ATTEMPTS) {
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
