import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { queryOf } from '../http-replies.js';
import type { Recorded } from '../recorded-route.js';
import { policyRoutes } from './policy-routes.js';
import {
  readRetentionPolicy,
  removeRetentionPolicy,
  setRetentionPolicy,
} from '../../services/retention/retention-policies.js';
import { retentionReportDetails, runRetention } from '../../services/retention/run-retention.js';

/** Retention policies, what they would remove now, and applying them. */
export function retentionRoutes(app: FastifyInstance, deps: AppDeps, recorded: Recorded): void {
  const retentionDeps = {
    governance: deps.governance,
    now: deps.now,
    scrub: deps.privacy?.scrub ?? (async () => undefined),
  };
  policyRoutes(app, deps, recorded, {
    name: 'retention',
    read: (tenant) => readRetentionPolicy(deps.governance, tenant),
    set: (tenant, value, by, at) => setRetentionPolicy(deps.governance, tenant, value, by, at),
    remove: (tenant) => removeRetentionPolicy(deps.governance, tenant),
  });
  const run = async (tenant: string, by: string, apply: boolean) => {
    const report = await runRetention(
      retentionDeps,
      (await deps.logs.decisions(tenant)).store,
      tenant,
      { apply, by },
    );
    return {
      json: JSON.stringify(report),
      records: apply ? report.shredded.decisions + report.pruned.entries : 0,
      details: retentionReportDetails(report),
    };
  };
  app.get('/v1/retention/plan', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:policies', action: 'retention.plan' },
      (access) => {
        queryOf(request.url, []);
        return run(access.tenant, access.principal.name, false);
      },
    ),
  );
  app.post('/v1/retention/apply', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'retention.apply', kind: 'write' },
      (access) => {
        queryOf(request.url, []);
        return run(access.tenant, access.principal.name, true);
      },
    ),
  );
}
