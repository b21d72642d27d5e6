import { DEFAULT_TENANT, type LogDatabase } from '@declog/core';
import { createKey, listKeys, revokeKey } from '../services/governance/manage-keys.js';
import type { KeyAdmin } from './key-admin.js';
import { localOperator } from './local-operator.js';

export interface LocalKeyAdminOptions {
  /** Who runs the command, named in the access trail as `local:USER`. */
  readonly user: string;
  /** The tenant a new key gets unless the request names one. */
  readonly tenant?: string;
  readonly now?: () => Date;
}

/**
 * Manages keys on the database directly, with the server's own services, as an admin of all
 * tenants: for operators with access to the database, such as one replacing a lost admin key
 * without a server. Each change is recorded in the access trail of the key's tenant, as the
 * server records its own.
 */
export function localKeyAdmin(database: LogDatabase, options: LocalKeyAdminOptions): KeyAdmin {
  const now = options.now ?? (() => new Date());
  const deps = { governance: database.governance, now };
  const { principal, record } = localOperator(database, { user: options.user, now });
  return {
    async create(request) {
      const created = await createKey(deps, principal, options.tenant ?? DEFAULT_TENANT, request);
      await record(created.tenant, {
        action: 'keys.create',
        method: 'LOCAL',
        route: 'declog keys create',
        records: 1,
        status: 201,
      });
      return created;
    },
    list: () => listKeys(deps, principal),
    async revoke(id) {
      const revoked = await revokeKey(deps, principal, id);
      await record(revoked.tenant, {
        action: 'keys.revoke',
        method: 'LOCAL',
        route: 'declog keys revoke',
        target: { id },
        records: 1,
        status: 200,
      });
      return revoked;
    },
    close: () => database.close(),
  };
}
