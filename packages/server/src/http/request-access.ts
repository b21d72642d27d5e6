import {
  roleAllows,
  roleRefusal,
  type AccessEntry,
  type GovernanceStore,
  type Permission,
} from '@declog/core';
import type { FastifyRequest } from 'fastify';
import { DeclogError, isDeclogError } from '../errors.js';
import { ERROR_STATUS } from './error-status.js';
import type { AddressBuckets } from '../services/governance/address-buckets.js';
import { authenticate, presentedKeyId } from '../services/governance/authenticate.js';
import type { Principal } from '../services/governance/principal.js';
import type { RateLimiter, RequestKind } from '../services/governance/rate-limiter.js';
import type { Refusal, SecurityTrail } from '../services/governance/security-trail.js';
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
  /** Failed authentications per client address: over budget, an address is answered 429. */
  readonly authFailures: AddressBuckets;
  /** Where refusals that reach no tenant's access trail are recorded. */
  readonly security: SecurityTrail;
  /** Requests let in already (before their body was read): they are not checked twice. */
  readonly admitted: WeakMap<FastifyRequest, RequestAccess>;
}

const MAX_PURPOSE = 500;

/**
 * Authenticates a request, applies its key's rate limit, settles its tenant and checks its
 * role. A refusal for want of a role is itself recorded in the tenant's access trail; one for
 * want of a valid key, or for naming another tenant, in the security trail. A request already
 * let in (by `admitBeforeBody`) only has its role checked again.
 */
export async function requestAccess(
  deps: AccessDeps,
  request: FastifyRequest,
  needs: Permission | ((principal: Principal) => Permission),
  kind: RequestKind,
): Promise<RequestAccess> {
  let access = deps.admitted.get(request);
  if (!access) {
    const principal = await authenticateRequest(deps, request);
    const wait = deps.limiter.take(principal.keyId, kind);
    if (wait > 0) {
      throw new DeclogError('rate_limited', `too many ${kind}s for this key; retry in ${wait} s`, [
        { path: 'Retry-After', message: String(wait) },
      ]);
    }
    const tenant = await tenantOf(deps, request, principal);
    access = { principal, tenant, purpose: purposeOf(request) };
    deps.admitted.set(request, access);
  }
  const { principal } = access;
  const permission = typeof needs === 'function' ? needs(principal) : needs;
  if (!roleAllows(principal.role, permission)) {
    const error = new DeclogError('forbidden', roleRefusal(principal.role, permission));
    await recordAccess(deps, request, access, { action: 'denied', records: 0, status: 403 });
    throw error;
  }
  return access;
}

/**
 * The request's principal. An address over its budget of failed authentications is refused
 * before its key is even looked at, so that guessing a key costs time whatever the guess.
 */
async function authenticateRequest(deps: AccessDeps, request: FastifyRequest): Promise<Principal> {
  const address = request.ip;
  const wait = deps.authFailures.wait(address);
  if (wait > 0) {
    const error = new DeclogError(
      'rate_limited',
      `too many failed authentications from this address; retry in ${wait} s`,
      [{ path: 'Retry-After', message: String(wait) }],
    );
    await deps.security.refused(refusalOf(request, error, 'auth_rate_limited'));
    throw error;
  }
  const authorization = header(request, 'authorization');
  try {
    return await authenticate(deps.governance, authorization);
  } catch (error) {
    if (isDeclogError(error) && error.code === 'unauthorized') {
      deps.authFailures.take(address);
      const keyId = await presentedKeyId(deps.governance, authorization).catch(() => undefined);
      await deps.security.refused({
        ...refusalOf(request, error, 'unauthorized'),
        ...(keyId !== undefined ? { keyId } : {}),
      });
    }
    throw error;
  }
}

/** The request's tenant; a key naming a tenant not its own is recorded in the security trail. */
async function tenantOf(
  deps: AccessDeps,
  request: FastifyRequest,
  principal: Principal,
): Promise<string> {
  const named = header(request, 'x-declog-tenant');
  try {
    return await tenantOfRequest(deps.governance, principal, named);
  } catch (error) {
    if (isDeclogError(error) && error.code === 'forbidden') {
      await deps.security.refused({
        ...refusalOf(request, error, 'cross_tenant'),
        keyId: principal.keyId,
        ...(named !== undefined ? { tenant: named.trim() } : {}),
      });
    }
    throw error;
  }
}

function refusalOf(
  request: FastifyRequest,
  error: DeclogError,
  refusal: Refusal['refusal'],
): Refusal {
  return {
    refusal,
    status: ERROR_STATUS[error.code],
    message: error.message,
    method: request.method,
    // The template, never the path: its values (a subject id) may be personal data.
    route: request.routeOptions.url ?? null,
    address: request.ip,
  };
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
    /** The data subjects whose records the answer held. */
    readonly subjects?: readonly string[];
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
    request_id: request.id,
  };
  await trail.recorder.record(entry, concernedSubjects(entry, outcome.subjects ?? []));
}

/**
 * The data subjects an access entry concerns, whose erasure deletes its personal details: those
 * of the records answered, the subject filtered on, and the subject a route names.
 */
function concernedSubjects(entry: AccessEntry, answered: readonly string[]): string[] {
  const subjects = new Set(answered);
  const filtered = entry.filters?.['subject'];
  if (filtered !== undefined) subjects.add(filtered);
  const named = entry.target?.['id'];
  if (named !== undefined && entry.route.startsWith('/v1/subjects/')) subjects.add(named);
  return [...subjects];
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
