import {
  roleAllows,
  rolesAllowing,
  type AccessEntry,
  type GovernanceStore,
  type Permission,
} from '@declog/core';
import type { FastifyRequest } from 'fastify';
import { DeclogError } from '../errors.js';
import { authenticate } from '../services/governance/authenticate.js';
import type { Principal } from '../services/governance/principal.js';
import type { RateLimiter, RequestKind } from '../services/governance/rate-limiter.js';
import { tenantOfRequest } from '../services/governance/tenant-scope.js';
import type { TenantLogs } from '../services/governance/tenant-logs.js';

/** Who is asking, for which tenant, and why. */
export interface RequestAccess {
  readonly principal: Principal;
  readonly tenant: string;
  readonly purpose: string | undefined;
}

export interface AccessDeps {
  readonly governance: GovernanceStore;
  readonly logs: TenantLogs;
  readonly limiter: RateLimiter;
  readonly now: () => Date;
}

const MAX_PURPOSE = 500;

/**
 * Authenticates a request, applies its key's rate limit, settles its tenant and checks its
 * role. A refusal for want of a role is itself recorded in the tenant's access trail.
 */
export async function requestAccess(
  deps: AccessDeps,
  request: FastifyRequest,
  needs: Permission | ((principal: Principal) => Permission),
  kind: RequestKind,
): Promise<RequestAccess> {
  const principal = await authenticate(deps.governance, header(request, 'authorization'));
  const permission = typeof needs === 'function' ? needs(principal) : needs;
  const wait = deps.limiter.take(principal.keyId, kind);
  if (wait > 0) {
    throw new DeclogError('rate_limited', `too many ${kind}s for this key; retry in ${wait} s`, [
      { path: 'Retry-After', message: String(wait) },
    ]);
  }
  const tenant = await tenantOfRequest(
    deps.governance,
    principal,
    header(request, 'x-declog-tenant'),
  );
  const access = { principal, tenant, purpose: purposeOf(request) };
  if (!roleAllows(principal.role, permission)) {
    const error = new DeclogError(
      'forbidden',
      `a ${principal.role} key may not do this; it needs the role ${rolesAllowing(permission).join(' or ')}`,
    );
    await recordAccess(deps, request, access, { action: 'denied', records: 0, status: 403 });
    throw error;
  }
  return access;
}

/** Appends the access entry of an answered request; the answer waits until it is durable. */
export async function recordAccess(
  deps: Pick<AccessDeps, 'logs' | 'now'>,
  request: FastifyRequest,
  access: RequestAccess,
  outcome: {
    readonly action: string;
    readonly records: number;
    readonly status?: number;
    readonly tenant?: string;
    readonly details?: Readonly<Record<string, string>>;
  },
): Promise<void> {
  const trail = await deps.logs.access(outcome.tenant ?? access.tenant);
  const params = request.params as Record<string, string> | undefined;
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  const entry: AccessEntry = {
    occurred_at: deps.now().toISOString(),
    actor: {
      key_id: access.principal.keyId,
      name: access.principal.name,
      role: access.principal.role,
    },
    action: outcome.action,
    method: request.method,
    route: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
    ...(params && Object.keys(params).length > 0 ? { target: { ...params } } : {}),
    ...(query.size > 0 ? { filters: Object.fromEntries(query) } : {}),
    records: outcome.records,
    status: outcome.status ?? 200,
    ...(access.purpose !== undefined ? { purpose: access.purpose } : {}),
    ...(outcome.details !== undefined ? { details: outcome.details } : {}),
  };
  await trail.recorder.record(entry);
}

function purposeOf(request: FastifyRequest): string | undefined {
  const purpose = header(request, 'x-declog-purpose')?.trim();
  if (purpose === undefined || purpose === '') return undefined;
  if (purpose.length > MAX_PURPOSE) {
    throw new DeclogError(
      'invalid_parameter',
      `X-Declog-Purpose is over ${MAX_PURPOSE} characters`,
      [{ path: 'X-Declog-Purpose', message: `must be at most ${MAX_PURPOSE} characters` }],
    );
  }
  return purpose;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
