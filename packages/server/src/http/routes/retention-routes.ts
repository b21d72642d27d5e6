import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { canonicalJson } from '@declog/core';
import type { AppDeps } from '../app-deps.js';
import { jsonBody, queryOf } from '../http-replies.js';
import type { Recorded } from '../recorded-route.js';
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
  app.get('/v1/policies/retention', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:policies', action: 'policies.retention.read' },
      async (access) => {
        queryOf(request.url, []);
        const stored = await readRetentionPolicy(deps.governance, access.tenant);
        return {
          json: JSON.stringify(stored ?? { policy: null, updated_at: null, updated_by: null }),
          records: stored ? 1 : 0,
        };
      },
    ),
  );
  app.put('/v1/policies/retention', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'policies.retention.set', kind: 'write' },
      async (access) => {
        const stored = await setRetentionPolicy(
          deps.governance,
          access.tenant,
          jsonBody(request),
          access.principal.name,
          deps.now().toISOString(),
        );
        const digest = createHash('sha256').update(canonicalJson(stored.policy)).digest('hex');
        return { json: JSON.stringify(stored), records: 1, details: { policy_sha256: digest } };
      },
    ),
  );
  app.delete('/v1/policies/retention', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'policies.retention.remove', kind: 'write' },
      async (access) => {
        const removed = await removeRetentionPolicy(deps.governance, access.tenant);
        return { json: JSON.stringify({ removed }), records: removed ? 1 : 0 };
      },
    ),
  );
  app.get('/v1/retention/plan', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:policies', action: 'retention.plan' },
      async (access) => {
        queryOf(request.url, []);
        const report = await runRetention(
          retentionDeps,
          (await deps.logs.decisions(access.tenant)).store,
          access.tenant,
          { apply: false, by: access.principal.name },
        );
        return {
          json: JSON.stringify(report),
          records: 0,
          details: retentionReportDetails(report),
        };
      },
    ),
  );
  app.post('/v1/retention/apply', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'retention.apply', kind: 'write' },
      async (access) => {
        queryOf(request.url, []);
        const report = await runRetention(
          retentionDeps,
          (await deps.logs.decisions(access.tenant)).store,
          access.tenant,
          { apply: true, by: access.principal.name },
        );
        return {
          json: JSON.stringify(report),
          records: report.shredded.decisions + report.pruned.entries,
          details: retentionReportDetails(report),
        };
      },
    ),
  );
}
