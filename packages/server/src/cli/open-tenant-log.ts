import {
  accessLogId,
  decisionLogId,
  DEFAULT_TENANT,
  type EventStore,
  type LogDatabase,
} from '@declog/core';
import { DeclogError } from '../errors.js';
import { openDatabase, openReadonlyDatabase } from '../store/open-store.js';

/** Which of a tenant's logs: its decision log or its access trail. */
export type TenantLogKind = 'decisions' | 'access';

/** The id of a tenant's log in its database. */
export function tenantLogId(tenant: string, kind: TenantLogKind): string {
  return kind === 'access' ? accessLogId(tenant) : decisionLogId(tenant);
}

/**
 * A tenant's log in the database at `location`, which closing the log closes. A tenant the
 * database does not know is `tenant_not_found`, as on a server; reading a log that was never
 * written is an error rather than an empty log (nothing is created to read).
 */
export async function openTenantLog(
  location: string,
  tenant: string,
  kind: TenantLogKind,
  access: 'read' | 'write',
): Promise<EventStore> {
  const database =
    access === 'read' ? await openReadonlyDatabase(location) : await openDatabase(location);
  try {
    const store = await tenantLog(database, tenant, kind, access);
    return { ...store, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function tenantLog(
  database: LogDatabase,
  tenant: string,
  kind: TenantLogKind,
  access: 'read' | 'write',
): Promise<EventStore> {
  if (tenant !== DEFAULT_TENANT && !(await database.governance.tenant(tenant))) {
    throw new DeclogError('tenant_not_found', `no tenant ${tenant}`);
  }
  const logId = tenantLogId(tenant, kind);
  // The default log's absence is told by the store, which names the database.
  if (access === 'read' && logId !== DEFAULT_TENANT && !(await database.hasLog(logId))) {
    const what = kind === 'access' ? 'access trail' : 'decision log';
    throw new Error(`tenant ${tenant} has no ${what} in this database yet: nothing was written`);
  }
  return database.log(logId);
}
