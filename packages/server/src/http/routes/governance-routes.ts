import type { FastifyInstance } from 'fastify';
import { ALL_TENANTS } from '@declog/core';
import { DeclogError } from '../../errors.js';
import type { AppDeps } from '../app-deps.js';
import { jsonBody, queryOf } from '../http-replies.js';
import type { Recorded } from '../recorded-route.js';
import { createKey, listKeys, revokeKey } from '../../services/governance/manage-keys.js';
import { holdView, placeHold, releaseHold } from '../../services/governance/legal-holds.js';
import { policyRoutes } from './policy-routes.js';
import { tenantPolicies } from '../../services/governance/tenant-policies.js';
import { eraseSubject } from '../../services/privacy/erase-subject.js';

/** Keys, tenants, masking policies, legal holds and erasure. */
export function governanceRoutes(app: FastifyInstance, deps: AppDeps, recorded: Recorded): void {
  const keyDeps = { governance: deps.governance, now: deps.now };
  const policies = tenantPolicies(deps.governance, deps.privacy?.pseudonymKeys ?? null);
  app.post('/v1/keys', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:keys', action: 'keys.create', kind: 'write' },
      async (access) => {
        const created = await createKey(
          keyDeps,
          access.principal,
          access.tenant,
          jsonBody(request),
        );
        return {
          json: JSON.stringify(created),
          records: 1,
          status: 201,
          tenant: created.tenant === ALL_TENANTS ? access.tenant : created.tenant,
        };
      },
    ),
  );
  app.get('/v1/keys', async (request, reply) =>
    recorded(request, reply, { permission: 'manage:keys', action: 'keys.list' }, async (access) => {
      queryOf(request.url, []);
      const keys = await listKeys(keyDeps, access.principal);
      return { json: JSON.stringify({ keys }), records: keys.length };
    }),
  );
  app.delete<{ Params: { id: string } }>('/v1/keys/:id', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:keys', action: 'keys.revoke', kind: 'write' },
      async (access) => {
        const revoked = await revokeKey(keyDeps, access.principal, request.params.id);
        return {
          json: JSON.stringify(revoked),
          records: 1,
          tenant: revoked.tenant === ALL_TENANTS ? access.tenant : revoked.tenant,
        };
      },
    ),
  );
  app.get('/v1/tenants', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:keys', action: 'tenants.list' },
      async (access) => {
        queryOf(request.url, []);
        const all = await deps.governance.tenants();
        const tenants = all
          .filter((t) => access.principal.tenant === null || t.name === access.principal.tenant)
          .map((t) => ({ name: t.name, created_at: t.createdAt }));
        return { json: JSON.stringify({ tenants }), records: tenants.length };
      },
    ),
  );
  app.delete<{ Params: { id: string } }>('/v1/subjects/:id', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'erase:subjects', action: 'subjects.erase', kind: 'write' },
      async (access) => {
        const { force } = queryOf(request.url, ['force']);
        if (force !== undefined && force !== 'true' && force !== 'false') {
          throw new DeclogError('invalid_query', 'force must be true or false', [
            { path: 'force', message: 'must be true or false' },
          ]);
        }
        if (!deps.privacy) {
          throw new DeclogError('invalid_parameter', 'this server keeps no personal data to erase');
        }
        const erasure = await eraseSubject(
          { scrub: deps.privacy.scrub, governance: deps.governance, now: deps.now },
          (await deps.logs.decisions(access.tenant)).store,
          access.tenant,
          request.params.id,
          access.principal.name,
          { force: force === 'true' },
        );
        return { json: JSON.stringify(erasure), records: erasure.records_shredded };
      },
    ),
  );
  const holdDeps = { governance: deps.governance, now: deps.now, newId: deps.newId };
  app.post('/v1/holds', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'holds.place', kind: 'write' },
      async (access) => {
        const hold = await placeHold(
          holdDeps,
          access.tenant,
          jsonBody(request),
          access.principal.name,
        );
        return {
          json: JSON.stringify(hold),
          records: 1,
          status: 201,
          details: { hold: hold.id, kind: hold.kind, target: hold.target, reason: hold.reason },
        };
      },
    ),
  );
  app.get('/v1/holds', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:policies', action: 'holds.list' },
      async (access) => {
        const { standing } = queryOf(request.url, ['standing']);
        if (standing !== undefined && standing !== 'true' && standing !== 'false') {
          throw new DeclogError('invalid_query', 'standing must be true or false', [
            { path: 'standing', message: 'must be true or false' },
          ]);
        }
        const holds = await deps.governance.holds(access.tenant, { standing: standing === 'true' });
        return { json: JSON.stringify({ holds: holds.map(holdView) }), records: holds.length };
      },
    ),
  );
  app.delete<{ Params: { id: string } }>('/v1/holds/:id', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'holds.release', kind: 'write' },
      async (access) => {
        const hold = await releaseHold(
          holdDeps,
          access.tenant,
          request.params.id,
          access.principal.name,
        );
        return {
          json: JSON.stringify(hold),
          records: 1,
          details: { hold: hold.id, kind: hold.kind, target: hold.target, reason: hold.reason },
        };
      },
    ),
  );
  policyRoutes(app, deps, recorded, {
    name: 'masking',
    read: (tenant) => policies.maskingPolicy(tenant),
    set: (tenant, value, by, at) => policies.setMaskingPolicy(tenant, value, by, at),
    remove: (tenant) => policies.removeMaskingPolicy(tenant),
  });
  policyRoutes(app, deps, recorded, {
    name: 'annotations',
    read: (tenant) => policies.annotationPolicy(tenant),
    set: (tenant, value, by, at) => policies.setAnnotationPolicy(tenant, value, by, at),
    remove: (tenant) => policies.removeAnnotationPolicy(tenant),
  });
}
