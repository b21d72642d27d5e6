import { DEFAULT_TENANT, type EventStore, type StoredCheckpoint } from '@declog/core';
import { logOrigin } from '../services/governance/tenant-logs.js';
import { issueCheckpoint } from '../services/ledger/issue-checkpoint.js';
import { openReadonlyStore } from '../store/open-store.js';
import { openIdentity, type LogIdentityOptions } from './log-identity-options.js';
import { openTenantLog } from './open-tenant-log.js';

/** What signing after a load did: a new checkpoint, or the latest one already covered the log. */
export interface LocalSigning {
  readonly checkpoint: StoredCheckpoint;
  readonly signedNow: boolean;
}

/**
 * Signs a checkpoint of a tenant's decision log in the database at `location` with the log's
 * own signing key, as a server does after appends: so that a bulk load with `declog ingest
 * --db` leaves a log that `verify` checks to its end. A new database gets its origin and key
 * as at a server's first start; a tenant's log derives its origin from the default log's.
 */
export async function signLocalCheckpoint(
  location: string,
  tenant: string,
  options: LogIdentityOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LocalSigning> {
  const store = await openTenantLog(location, tenant, 'decisions', 'write');
  try {
    const origin = options.origin ?? (await derivedOrigin(store, location, tenant));
    const identity = await openIdentity(
      store,
      location,
      origin === undefined ? options : { ...options, origin },
      env,
    );
    const before = await store.latestCheckpoint();
    const checkpoint = await issueCheckpoint({ store, identity, now: () => new Date() });
    return { checkpoint, signedNow: before?.size !== checkpoint.size };
  } finally {
    await store.close();
  }
}

/**
 * A tenant's log's origin when it has none yet: derived from the default log's, as a server
 * derives it. Undefined for the default log (its identity is made as at a server's first start).
 */
async function derivedOrigin(
  store: EventStore,
  location: string,
  tenant: string,
): Promise<string | undefined> {
  if (tenant === DEFAULT_TENANT || (await store.setting('origin')) !== null) return undefined;
  const defaultLog = await openReadonlyStore(location);
  try {
    const base = await defaultLog.setting('origin');
    if (base === null) throw new Error('the database has no origin yet: start a server on it once');
    return logOrigin(base, tenant, 'decisions');
  } finally {
    await defaultLog.close();
  }
}
