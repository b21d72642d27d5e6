import { v7 as uuidv7 } from 'uuid';
import {
  accessLogId,
  ALL_TENANTS,
  DEFAULT_TENANT,
  type AccessEntry,
  type LogDatabase,
} from '@declog/core';
import { createAccessRecorder } from '../services/governance/access-recorder.js';
import type { Principal } from '../services/governance/principal.js';

/** A change made on the database directly, as its access entry says it (who and when aside). */
export type LocalChange = Omit<AccessEntry, 'occurred_at' | 'actor'>;

/** Whoever runs a command on the database directly, and how their changes are recorded. */
export interface LocalOperator {
  /** An admin of all tenants named `local:USER`. */
  readonly principal: Principal;
  /** Appends the change to the tenant's access trail, as the server records its own. */
  readonly record: (tenant: string, change: LocalChange) => Promise<void>;
}

/**
 * The operator of a command that opens the database instead of asking a server: it needs no
 * API key (whoever can open the database can change it anyway), so the access trail is what
 * keeps its changes accountable. Changes to keys of all tenants go to the default tenant's.
 */
export function localOperator(
  database: LogDatabase,
  options: { readonly user: string; readonly now: () => Date },
): LocalOperator {
  const principal: Principal = {
    keyId: 'local',
    name: `local:${options.user}`,
    role: 'admin',
    tenant: null,
  };
  return {
    principal,
    async record(tenant, change) {
      const trail = await database.log(
        accessLogId(tenant === ALL_TENANTS ? DEFAULT_TENANT : tenant),
      );
      const trailTenant = tenant === ALL_TENANTS ? DEFAULT_TENANT : tenant;
      const recorder = createAccessRecorder(trail, {
        now: options.now,
        newId: uuidv7,
        governance: database.governance,
        tenant: trailTenant,
      });
      await recorder.record({
        occurred_at: options.now().toISOString(),
        actor: { key_id: principal.keyId, name: principal.name, role: principal.role },
        ...change,
      });
    },
  };
}
