import { v7 as uuidv7 } from 'uuid';
import { decisionLogId, DEFAULT_TENANT, type LogDatabase } from '@declog/core';
import { DeclogError } from '../errors.js';
import {
  holdView,
  placeHold,
  releaseHold,
  type HoldView,
} from '../services/governance/legal-holds.js';
import { eraseSubject } from '../services/privacy/erase-subject.js';
import {
  readRetentionPolicy,
  removeRetentionPolicy,
  setRetentionPolicy,
} from '../services/retention/retention-policies.js';
import { retentionReportDetails, runRetention } from '../services/retention/run-retention.js';
import { localOperator } from './local-operator.js';
import type { PrivacyAdmin } from './privacy-admin.js';

export interface LocalPrivacyAdminOptions {
  /** Who runs the command, named in the access trail as `local:USER`. */
  readonly user: string;
  readonly tenant: string;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/**
 * Erases subjects and manages holds on the database directly, with the server's own services,
 * as an admin of all tenants. No master key is needed: erasure destroys keys, it never opens
 * them. Each change is recorded in the tenant's access trail, as the server records its own.
 */
export function localPrivacyAdmin(
  database: LogDatabase,
  options: LocalPrivacyAdminOptions,
): PrivacyAdmin {
  const { tenant } = options;
  const now = options.now ?? (() => new Date());
  const holdDeps = { governance: database.governance, now, newId: options.newId ?? uuidv7 };
  const { principal, record } = localOperator(database, { user: options.user, now });
  // As on a server: a tenant the database does not know is an error, not created in passing.
  const knownTenant = async () => {
    if (tenant !== DEFAULT_TENANT && !(await database.governance.tenant(tenant))) {
      throw new DeclogError('tenant_not_found', `no tenant ${tenant}`);
    }
  };
  const holdDetails = (hold: HoldView) => ({
    hold: hold.id,
    kind: hold.kind,
    target: hold.target,
    reason: hold.reason,
  });
  return {
    async erase(subject, options = {}) {
      await knownTenant();
      const erasure = await eraseSubject(
        { governance: database.governance, scrub: () => database.scrub(), now },
        await database.log(decisionLogId(tenant)),
        tenant,
        subject,
        principal.name,
        options,
      );
      await record(tenant, {
        action: 'subjects.erase',
        method: 'LOCAL',
        route: 'declog erase',
        target: { id: subject },
        records: erasure.records_shredded,
        status: 200,
      });
      return erasure;
    },
    async placeHold(request) {
      await knownTenant();
      const hold = await placeHold(holdDeps, tenant, request, principal.name);
      await record(tenant, {
        action: 'holds.place',
        method: 'LOCAL',
        route: 'declog holds place',
        records: 1,
        status: 201,
        details: holdDetails(hold),
      });
      return hold;
    },
    async holds({ standing }) {
      await knownTenant();
      return (await database.governance.holds(tenant, { standing })).map(holdView);
    },
    async releaseHold(id) {
      await knownTenant();
      const hold = await releaseHold(holdDeps, tenant, id, principal.name);
      await record(tenant, {
        action: 'holds.release',
        method: 'LOCAL',
        route: 'declog holds release',
        target: { id },
        records: 1,
        status: 200,
        details: holdDetails(hold),
      });
      return hold;
    },
    async retentionPolicy() {
      await knownTenant();
      return readRetentionPolicy(database.governance, tenant);
    },
    async setRetentionPolicy(policy) {
      await knownTenant();
      const at = now().toISOString();
      const stored = await setRetentionPolicy(
        database.governance,
        tenant,
        policy,
        principal.name,
        at,
      );
      await record(tenant, {
        action: 'policies.retention.set',
        method: 'LOCAL',
        route: 'declog retention policy --set',
        records: 1,
        status: 200,
      });
      return stored;
    },
    async removeRetentionPolicy() {
      await knownTenant();
      const removed = await removeRetentionPolicy(database.governance, tenant);
      await record(tenant, {
        action: 'policies.retention.remove',
        method: 'LOCAL',
        route: 'declog retention policy --clear',
        records: removed ? 1 : 0,
        status: 200,
      });
      return removed;
    },
    async retention({ dryRun }) {
      await knownTenant();
      const report = await runRetention(
        { governance: database.governance, scrub: () => database.scrub(), now },
        await database.log(decisionLogId(tenant)),
        tenant,
        { apply: !dryRun, by: principal.name },
      );
      await record(tenant, {
        action: dryRun ? 'retention.plan' : 'retention.apply',
        method: 'LOCAL',
        route: dryRun ? 'declog retention apply --dry-run' : 'declog retention apply',
        records: dryRun ? 0 : report.shredded.decisions + report.pruned.entries,
        status: 200,
        details: retentionReportDetails(report),
      });
      return report;
    },
    close: () => database.close(),
  };
}
