import {
  accessLogId,
  decisionLogId,
  DEFAULT_TENANT,
  SECURITY_LOG_ID,
  type EventStore,
  type LogDatabase,
} from '@declog/core';
import type { LogIdentity } from '../ledger/log-identity.js';
import { issuingCheckpoints, type CheckpointSource } from '../ledger/checkpoint-source.js';
import { replicaCheckpoints } from '../ledger/replica-checkpoints.js';
import type { CheckpointDeps } from '../ledger/issue-checkpoint.js';
import { createAccessRecorder, type AccessRecorder } from './access-recorder.js';
import { DeclogError } from '../../errors.js';

/** One log as the API uses it: where it is appended, where it is read, who signs it. */
export interface TenantLog {
  readonly store: EventStore;
  /** Where reads go: the log itself, or its copy on a read replica. */
  readonly reads: { readonly store: EventStore; readonly checkpoints: CheckpointSource };
  readonly identity: LogIdentity;
}

export interface AccessTrail extends TenantLog {
  readonly recorder: AccessRecorder;
}

export interface TenantLogs {
  /** A tenant's decision log. */
  decisions(tenant: string): Promise<TenantLog>;
  /** A tenant's access trail, read on the primary even with a read replica. */
  access(tenant: string): Promise<AccessTrail>;
  /**
   * The server's security trail (refusals that reach no tenant's trail), read on the primary
   * even with a read replica.
   */
  security(): Promise<TenantLog>;
  /** Every writable log opened so far, for the checkpointer. */
  opened(): readonly CheckpointDeps[];
}

export interface TenantLogsDeps {
  readonly database: LogDatabase;
  /** A read replica of `database`, for reads. */
  readonly readDatabase?: LogDatabase;
  /** The default tenant's decision log's identity; the other logs' origins derive from it. */
  readonly identity: LogIdentity;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * The origin of a log: the default tenant's decision log has the configured one; another
 * tenant's adds `/tenant/NAME`, and an access trail adds `/access` to its tenant's. The
 * server's security trail is `/security` after the configured one.
 */
export function logOrigin(base: string, tenant: string, kind: 'decisions' | 'access'): string {
  const tenantOrigin = tenant === DEFAULT_TENANT ? base : `${base}/tenant/${tenant}`;
  return kind === 'access' ? `${tenantOrigin}/access` : tenantOrigin;
}

/**
 * Opens tenants' logs on first use and keeps them. Every log is signed by the same key under
 * its own origin, pinned in the log's settings at its first use like the default log's.
 */
export function createTenantLogs(deps: TenantLogsDeps): TenantLogs {
  const logs = new Map<string, Promise<TenantLog>>();
  const trails = new Map<string, Promise<AccessTrail>>();
  const opened: CheckpointDeps[] = [];

  const open = (logId: string, origin: string, replicated: boolean): Promise<TenantLog> => {
    let log = logs.get(logId);
    if (!log) {
      log = openLog(logId, origin, replicated);
      // A failed open (an outage) is retried by the next request.
      log.catch(() => logs.delete(logId));
      logs.set(logId, log);
    }
    return log;
  };

  const openLog = async (
    logId: string,
    origin: string,
    replicated: boolean,
  ): Promise<TenantLog> => {
    const store = await deps.database.log(logId);
    const identity = await pinIdentity(store, {
      origin,
      signer: deps.identity.signer,
      verifierKey: deps.identity.verifierKey,
    });
    const checkpointDeps = { store, identity, now: deps.now };
    if (!opened.some((d) => d.store === store)) opened.push(checkpointDeps);
    if (!deps.readDatabase || !replicated) {
      return { store, identity, reads: { store, checkpoints: issuingCheckpoints(checkpointDeps) } };
    }
    if (!(await deps.readDatabase.hasLog(logId))) {
      throw new DeclogError(
        'checkpoint_pending',
        `the read replica has not received the log ${logId} yet (it is new); retry`,
      );
    }
    const readStore = await deps.readDatabase.log(logId);
    return {
      store,
      identity,
      reads: { store: readStore, checkpoints: replicaCheckpoints(readStore) },
    };
  };

  return {
    decisions(tenant) {
      return open(
        decisionLogId(tenant),
        logOrigin(deps.identity.origin, tenant, 'decisions'),
        true,
      );
    },
    access(tenant) {
      let trail = trails.get(tenant);
      if (!trail) {
        // Read on the primary: an auditor must see the entries of the reads just made.
        trail = open(
          accessLogId(tenant),
          logOrigin(deps.identity.origin, tenant, 'access'),
          false,
        ).then((log) => ({
          ...log,
          recorder: createAccessRecorder(log.store, {
            ...deps,
            governance: deps.database.governance,
            tenant,
          }),
        }));
        trail.catch(() => trails.delete(tenant));
        trails.set(tenant, trail);
      }
      return trail;
    },
    security() {
      return open(SECURITY_LOG_ID, `${deps.identity.origin}/security`, false);
    },
    opened: () => opened,
  };
}

/** Pins a log's origin and verifier key at its first use; refuses a log signed otherwise. */
async function pinIdentity(store: EventStore, identity: LogIdentity): Promise<LogIdentity> {
  const origin = await store.initSetting('origin', identity.origin);
  if (origin !== identity.origin) {
    throw new Error(`log origin is ${origin}, expected ${identity.origin}`);
  }
  const key = await store.initSetting('verifier_key', identity.verifierKey);
  if (key !== identity.verifierKey) {
    throw new Error(`log ${origin} is signed by ${key}, not by ${identity.verifierKey}`);
  }
  return identity;
}
