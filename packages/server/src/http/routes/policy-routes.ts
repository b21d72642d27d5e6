import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { canonicalJson } from '@declog/core';
import type { AppDeps } from '../app-deps.js';
import { jsonBody, queryOf } from '../http-replies.js';
import type { Recorded } from '../recorded-route.js';

/** A tenant policy as stored: the policy, with when and by whom it was set. */
interface StoredPolicy {
  readonly policy: unknown;
  readonly updated_at: string;
  readonly updated_by: string;
}

/** How one kind of tenant policy is read, set and removed. */
export interface PolicyKind {
  /** The name in routes and access actions: `/v1/policies/NAME`, `policies.NAME.set`. */
  readonly name: string;
  read(tenant: string): Promise<StoredPolicy | null>;
  set(tenant: string, value: unknown, by: string, at: string): Promise<StoredPolicy>;
  /** True when there was a policy to remove. */
  remove(tenant: string): Promise<boolean>;
}

/**
 * `GET/PUT/DELETE /v1/policies/NAME`: auditors and admins read it, admins set and remove it;
 * each change is recorded in the access trail with the SHA-256 of the policy set.
 */
export function policyRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  recorded: Recorded,
  kind: PolicyKind,
): void {
  const path = `/v1/policies/${kind.name}`;
  const action = `policies.${kind.name}`;
  app.get(path, async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:policies', action: `${action}.read` },
      async (access) => {
        queryOf(request.url, []);
        const stored = await kind.read(access.tenant);
        return {
          json: JSON.stringify(stored ?? { policy: null, updated_at: null, updated_by: null }),
          records: stored ? 1 : 0,
        };
      },
    ),
  );
  app.put(path, async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: `${action}.set`, kind: 'write' },
      async (access) => {
        const stored = await kind.set(
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
  app.delete(path, async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: `${action}.remove`, kind: 'write' },
      async (access) => {
        const removed = await kind.remove(access.tenant);
        return { json: JSON.stringify({ removed }), records: removed ? 1 : 0 };
      },
    ),
  );
}
