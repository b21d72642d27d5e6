import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import {
  ALL_TENANTS,
  canonicalJson,
  LIMITS,
  parseDecisionQuery,
  roleAllows,
  type EventStore,
  type GovernanceStore,
  type Permission,
} from '@declog/core';
import { DeclogError, isDeclogError, type ErrorDetail } from '../errors.js';
import type { Answer } from '../services/answer.js';
import { appendPrepared, prepareBatch } from '../services/ingest-events.js';
import {
  listDecisions,
  plainRows,
  readAction,
  readDecisionChain,
} from '../services/read-events.js';
import { eraseSubject } from '../services/privacy/erase-subject.js';
import { revealPersonal, type RevealRows } from '../services/privacy/reveal-personal.js';
import { sealPersonalEvents } from '../services/privacy/seal-events.js';
import type { SubjectKeys } from '../services/privacy/subject-keys.js';
import {
  consistencyProofJson,
  decisionChainWithProofs,
  inclusionProofJson,
  checkpointNote,
  readEntries,
  readEntry,
} from '../services/ledger/read-log.js';
import { createKey, listKeys, revokeKey } from '../services/governance/manage-keys.js';
import {
  createRateLimiter,
  DEFAULT_RATE_LIMITS,
  type RateLimits,
  type RequestKind,
} from '../services/governance/rate-limiter.js';
import { readAccessLog } from '../services/governance/read-access-log.js';
import { reviewerAnnotations } from '../services/governance/reviewer-annotations.js';
import { tenantPolicies } from '../services/governance/tenant-policies.js';
import { holdView, placeHold, releaseHold } from '../services/governance/legal-holds.js';
import type { TenantLogs } from '../services/governance/tenant-logs.js';
import { drainRequest } from './drain-request.js';
import { ERROR_STATUS } from './error-status.js';
import { NDJSON_TYPES, parseEventBody } from '../services/parse-event-body.js';
import { prepareInThread, type PrepareEvents } from '../services/prepare-events.js';
import { openApiDocument } from './openapi-document.js';
import {
  recordAccess,
  requestAccess,
  type AccessDeps,
  type RequestAccess,
} from './request-access.js';

export interface AppDeps {
  /** Each tenant's decision log and access trail, opened on first use. */
  readonly logs: TenantLogs;
  /** Tenants and API keys. */
  readonly governance: GovernanceStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Parses and prepares ingest bodies; defaults to the calling thread. */
  readonly prepare?: PrepareEvents;
  /** Requests per second per key; defaults to DEFAULT_RATE_LIMITS. */
  readonly rateLimits?: RateLimits;
  /** Where to log unexpected errors; they never reach the client in detail. */
  readonly logError?: (error: unknown) => void;
  /**
   * Subject keys and the database's scrub: with them, the personal values of decisions that
   * name a subject are sealed at ingest, opened for readers, and erasable.
   */
  readonly privacy?: { readonly keys: SubjectKeys; readonly scrub: () => Promise<void> };
}

/** The HTTP API v1. Routes parse, call a service and map the result; nothing else. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: LIMITS.maxRequestBytes,
    logger: false,
    // Ids are up to 128 characters; the id check answers longer ones, not the router with a 414.
    routerOptions: { maxParamLength: 1024 },
    // Malformed or over-long URLs are answered in the API's error format too.
    frameworkErrors: (error, _request, reply) =>
      sendError(reply, new DeclogError('invalid_parameter', error.message)),
  });
  const openapi = JSON.stringify(openApiDocument());
  const prepare = deps.prepare ?? prepareInThread(deps.newId);
  const accessDeps: AccessDeps = {
    governance: deps.governance,
    logs: deps.logs,
    now: deps.now,
    limiter: createRateLimiter(deps.rateLimits ?? DEFAULT_RATE_LIMITS, () => deps.now().getTime()),
  };
  const keyDeps = { governance: deps.governance, now: deps.now };
  const policies = tenantPolicies(deps.governance);

  /**
   * Answers a request that needs `permission`: authenticates it, runs `handler` for its
   * tenant, and records the answer (or a refusal of bad input) in the tenant's access trail
   * before sending it. Nothing is sent unless its access entry is stored.
   */
  const recorded = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { permission: Permission; action: string; kind?: RequestKind; text?: boolean },
    handler: (
      access: RequestAccess,
    ) => Promise<
      Answer & { tenant?: string; status?: number; details?: Readonly<Record<string, string>> }
    >,
  ): Promise<FastifyReply> => {
    const access = await requestAccess(
      accessDeps,
      request,
      options.permission,
      options.kind ?? 'read',
    );
    let answer;
    try {
      answer = await handler(access);
    } catch (error) {
      if (isDeclogError(error) && ERROR_STATUS[error.code] < 500) {
        await recordAccess(deps, request, access, {
          action: options.action,
          records: 0,
          status: ERROR_STATUS[error.code],
        });
      }
      throw error;
    }
    await recordAccess(deps, request, access, {
      action: options.action,
      records: answer.records,
      ...(answer.tenant !== undefined ? { tenant: answer.tenant } : {}),
      ...(answer.status !== undefined ? { status: answer.status } : {}),
      ...(answer.details !== undefined ? { details: answer.details } : {}),
    });
    if (answer.status !== undefined) reply.status(answer.status);
    return options.text
      ? reply.type('text/plain; charset=utf-8').send(answer.json)
      : sendJson(reply, answer.json);
  };
  const decisionLog = async (access: RequestAccess) =>
    (await deps.logs.decisions(access.tenant)).reads;
  const accessTrail = async (access: RequestAccess) =>
    (await deps.logs.access(access.tenant)).reads;
  /** How the decision reads show stored rows: with personal values opened, when sealed. */
  const revealFor = (access: RequestAccess, store: EventStore): RevealRows =>
    deps.privacy ? revealPersonal(store, access.tenant, deps.privacy.keys) : plainRows;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', ...NDJSON_TYPES],
    { parseAs: 'string' },
    // The text is parsed later, by `prepare`, which may run on another thread.
    (request, body, done) => {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      done(null, { text: body as string, ndjson: mediaType !== 'application/json' });
    },
  );

  app.setErrorHandler(async (error, request, reply) => {
    if (isDeclogError(error)) return sendError(reply, error);
    const fastifyError = error as { code?: string; statusCode?: number; message?: string };
    const mapped = fromFastifyError(fastifyError);
    if (mapped?.code === 'payload_too_large') {
      // The body was refused unread; discard it so that the client gets to read the 413.
      await drainRequest(request.raw, 4 * LIMITS.maxRequestBytes, 15_000);
      reply.header('connection', 'close');
    }
    if (mapped) return sendError(reply, mapped);
    deps.logError?.(error);
    return sendError(reply, new DeclogError('internal_error', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new DeclogError('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/openapi.json', async (request, reply) => {
    await requestAccess(accessDeps, request, 'read:public', 'read');
    return sendJson(reply, openapi);
  });

  app.post('/v1/events', async (request, reply) => {
    const access = await requestAccess(
      accessDeps,
      request,
      (principal) =>
        roleAllows(principal.role, 'write:events') ? 'write:events' : 'write:annotations',
      'write',
    );
    if (request.body === undefined) {
      throw new DeclogError('invalid_body', 'body is empty; send {"events": [...]} or NDJSON');
    }
    const body = request.body as { text: string; ndjson: boolean };
    const policy = await policies.ingestPolicy(access.tenant);
    const prepared = roleAllows(access.principal.role, 'write:events')
      ? await prepare(body.text, body.ndjson, policy)
      : prepareBatch(
          reviewerAnnotations(parseEventBody(body.text, body.ndjson), access.principal),
          deps.newId,
          policy,
        );
    const log = await deps.logs.decisions(access.tenant);
    const sealed = deps.privacy
      ? await sealPersonalEvents(prepared, access.tenant, deps.privacy.keys)
      : prepared;
    const results = await appendPrepared({ store: log.store, now: deps.now }, sealed);
    return sendJson(reply, JSON.stringify({ results }));
  });

  app.get<{ Params: { id: string } }>('/v1/decisions/:id', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:decisions', action: 'decisions.read' },
      async (access) => {
        const { proof } = queryOf(request.url, ['proof']);
        if (proof !== undefined && proof !== 'true' && proof !== 'false') {
          throw new DeclogError('invalid_query', 'proof must be true or false', [
            { path: 'proof', message: 'must be true or false' },
          ]);
        }
        const reads = await decisionLog(access);
        return proof === 'true'
          ? decisionChainWithProofs(reads, request.params.id)
          : readDecisionChain(reads.store, request.params.id, revealFor(access, reads.store));
      },
    ),
  );
  app.get('/v1/decisions', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:decisions', action: 'decisions.query' },
      async (access) => {
        const search = new URLSearchParams(request.url.split('?')[1] ?? '');
        const { store } = await decisionLog(access);
        return listDecisions(store, parseDecisionQuery(search), revealFor(access, store));
      },
    ),
  );
  app.get<{ Params: { id: string } }>('/v1/actions/:id', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:decisions', action: 'actions.read' },
      async (access) => {
        const { store } = await decisionLog(access);
        return readAction(store, request.params.id, revealFor(access, store));
      },
    ),
  );

  app.get<{ Params: { seq: string } }>('/v1/events/:seq', async (request, reply) =>
    recorded(request, reply, { permission: 'read:log', action: 'log.entry.read' }, async (access) =>
      readEntry((await decisionLog(access)).store, request.params.seq),
    ),
  );
  app.get('/v1/events', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:log', action: 'log.entries.read' },
      async (access) => {
        const { from, limit } = queryOf(request.url, ['from', 'limit']);
        return readEntries((await decisionLog(access)).store, from, limit);
      },
    ),
  );
  app.get('/v1/log/checkpoint', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:log', action: 'log.checkpoint.read', text: true },
      async (access) => {
        const { size } = queryOf(request.url, ['size']);
        return { json: await checkpointNote(await decisionLog(access), size), records: 0 };
      },
    ),
  );
  app.get('/v1/log/key', async (request, reply) => {
    const access = await requestAccess(accessDeps, request, 'read:public', 'read');
    const log = await deps.logs.decisions(access.tenant);
    return reply.type('text/plain; charset=utf-8').send(`${log.identity.verifierKey}\n`);
  });
  app.get('/v1/log/proof/inclusion', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:log', action: 'log.proof.read' },
      async (access) => {
        const { seq, size } = queryOf(request.url, ['seq', 'size']);
        return { json: await inclusionProofJson(await decisionLog(access), seq, size), records: 0 };
      },
    ),
  );
  app.get('/v1/log/proof/consistency', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:log', action: 'log.proof.read' },
      async (access) => {
        const { from, to } = queryOf(request.url, ['from', 'to']);
        return {
          json: await consistencyProofJson((await decisionLog(access)).store, from, to),
          records: 0,
        };
      },
    ),
  );

  app.get('/v1/access-log', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.query' },
      async (access) => {
        const search = new URLSearchParams(request.url.split('?')[1] ?? '');
        return readAccessLog((await accessTrail(access)).store, search);
      },
    ),
  );
  app.get<{ Params: { seq: string } }>('/v1/access-log/entries/:seq', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.entry.read' },
      async (access) => readEntry((await accessTrail(access)).store, request.params.seq),
    ),
  );
  app.get('/v1/access-log/entries', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.entries.read' },
      async (access) => {
        const { from, limit } = queryOf(request.url, ['from', 'limit']);
        return readEntries((await accessTrail(access)).store, from, limit);
      },
    ),
  );
  app.get('/v1/access-log/checkpoint', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.checkpoint.read', text: true },
      async (access) => {
        const { size } = queryOf(request.url, ['size']);
        return { json: await checkpointNote(await accessTrail(access), size), records: 0 };
      },
    ),
  );
  app.get('/v1/access-log/proof/inclusion', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.proof.read' },
      async (access) => {
        const { seq, size } = queryOf(request.url, ['seq', 'size']);
        return { json: await inclusionProofJson(await accessTrail(access), seq, size), records: 0 };
      },
    ),
  );
  app.get('/v1/access-log/proof/consistency', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:access-log', action: 'access-log.proof.read' },
      async (access) => {
        const { from, to } = queryOf(request.url, ['from', 'to']);
        return {
          json: await consistencyProofJson((await accessTrail(access)).store, from, to),
          records: 0,
        };
      },
    ),
  );

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
        if (!deps.privacy) {
          throw new DeclogError('invalid_parameter', 'this server keeps no personal data to erase');
        }
        const erasure = await eraseSubject(
          { scrub: deps.privacy.scrub, governance: deps.governance, now: deps.now },
          (await deps.logs.decisions(access.tenant)).store,
          access.tenant,
          request.params.id,
          access.principal.name,
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
        return { json: JSON.stringify(hold), records: 1, details: { hold: hold.id } };
      },
    ),
  );
  app.get('/v1/policies/masking', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'read:policies', action: 'policies.masking.read' },
      async (access) => {
        queryOf(request.url, []);
        const stored = await policies.maskingPolicy(access.tenant);
        return {
          json: JSON.stringify(stored ?? { policy: null, updated_at: null, updated_by: null }),
          records: stored ? 1 : 0,
        };
      },
    ),
  );
  app.put('/v1/policies/masking', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'policies.masking.set', kind: 'write' },
      async (access) => {
        const stored = await policies.setMaskingPolicy(
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
  app.delete('/v1/policies/masking', async (request, reply) =>
    recorded(
      request,
      reply,
      { permission: 'manage:policies', action: 'policies.masking.remove', kind: 'write' },
      async (access) => {
        const removed = await policies.removeMaskingPolicy(access.tenant);
        return { json: JSON.stringify({ removed }), records: removed ? 1 : 0 };
      },
    ),
  );
  return app;
}

/** A JSON request body (other than events) as a value, or an invalid_json error. */
function jsonBody(request: FastifyRequest): unknown {
  const body = request.body as { text: string; ndjson: boolean } | undefined;
  if (body === undefined || body.text.trim() === '') {
    throw new DeclogError('invalid_body', 'body is empty; send a JSON object');
  }
  if (body.ndjson) {
    throw new DeclogError('unsupported_media_type', 'content type must be application/json');
  }
  try {
    return JSON.parse(body.text);
  } catch (error) {
    throw new DeclogError('invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The named query parameters; any other, or a repeated one, is an invalid_query error. */
function queryOf<K extends string>(url: string, allowed: readonly K[]): Partial<Record<K, string>> {
  const result: Partial<Record<K, string>> = {};
  const issues: ErrorDetail[] = [];
  for (const [name, value] of new URLSearchParams(url.split('?')[1] ?? '')) {
    if (!(allowed as readonly string[]).includes(name)) {
      issues.push({ path: name, message: `is not a parameter here; use ${allowed.join(', ')}` });
    } else if (result[name as K] !== undefined) {
      issues.push({ path: name, message: 'is given more than once' });
    } else result[name as K] = value;
  }
  if (issues.length > 0) throw new DeclogError('invalid_query', 'invalid query parameters', issues);
  return result;
}

function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

function sendError(reply: FastifyReply, error: DeclogError): FastifyReply {
  if (error.code === 'rate_limited') {
    const wait = error.details.find((d) => d.path === 'Retry-After')?.message;
    if (wait !== undefined) reply.header('retry-after', wait);
  }
  const body: { code: string; message: string; details: readonly ErrorDetail[] } = {
    code: error.code,
    message: error.message,
    details: error.details,
  };
  return reply
    .status(ERROR_STATUS[error.code])
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: body }));
}

function fromFastifyError(error: {
  code?: string;
  statusCode?: number;
  message?: string;
}): DeclogError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DeclogError(
        'payload_too_large',
        `request body exceeds ${LIMITS.maxRequestBytes} bytes; split the batch`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DeclogError(
        'unsupported_media_type',
        `content type must be application/json or ${NDJSON_TYPES.join(' or ')}`,
      );
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new DeclogError('invalid_body', error.message ?? 'bad request');
      }
      return null;
  }
}
