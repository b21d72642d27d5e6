import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { LIMITS, parseDecisionQuery, type EventStore } from '@declog/core';
import { DeclogError, isDeclogError } from '../errors.js';
import { ingestService } from '../services/ingest/ingest-service.js';
import { eventLoopTurns } from '../services/cpu-turns.js';
import { modelPolicies } from '../services/analytics/model-policies.js';
import { modelRegistry } from '../services/analytics/model-registry.js';
import {
  listDecisions,
  plainRows,
  readAction,
  readDecisionChain,
} from '../services/read-events.js';
import { revealPersonal, type RevealRows } from '../services/privacy/reveal-personal.js';
import {
  consistencyProofJson,
  decisionChainWithProofs,
  inclusionProofJson,
  checkpointNote,
  readEntries,
  readEntry,
} from '../services/ledger/read-log.js';
import { createRateLimiter, DEFAULT_RATE_LIMITS } from '../services/governance/rate-limiter.js';
import { createAddressBuckets } from '../services/governance/address-buckets.js';
import { createSecurityTrail } from '../services/governance/security-trail.js';
import { tenantPolicies } from '../services/governance/tenant-policies.js';
import { NDJSON_TYPES } from '../services/parse-event-body.js';
import { utf8Text } from '../services/utf8-text.js';
import type { AppDeps } from './app-deps.js';
import { accessLogLine } from './access-log.js';
import { admitBeforeBody, INGEST_ACCESS } from './admit-before-body.js';
import { answerClientError } from './client-error-answer.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { assertIdentityEncoding } from './content-encoding.js';
import { drainRequest } from './drain-request.js';
import { HEALTHY, readiness } from './health-probes.js';
import { DEFAULT_HTTP_LIMITS } from './http-limits.js';
import { httpServerFactory } from './http-server-factory.js';
import {
  fromFastifyError,
  queryOf,
  SECURITY_HEADERS,
  sendError,
  sendJson,
} from './http-replies.js';
import { assertUtf8Charset, isNdjsonContentType } from './ingest-media-type.js';
import { openApiDocument } from './openapi-document.js';
import { recordedRoute } from './recorded-route.js';
import { requestId } from './request-id.js';
import { routeMethods } from './route-methods.js';
import { requestAccess, type AccessDeps, type RequestAccess } from './request-access.js';
import { accessLogRoutes } from './routes/access-log-routes.js';
import { analyticsRoutes } from './routes/analytics-routes.js';
import { governanceRoutes } from './routes/governance-routes.js';
import { policyRoutes } from './routes/policy-routes.js';
import { retentionRoutes } from './routes/retention-routes.js';
import { securityLogRoutes } from './routes/security-log-routes.js';

export type { AppDeps } from './app-deps.js';

/** How often the counts of refusals not recorded one by one go to the security trail. */
const SECURITY_FLUSH_MS = 60_000;

/** The HTTP API v1. Routes parse, call a service and map the result; nothing else. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const ready = deps.ready ?? (async () => undefined);
  const limits = deps.http ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    bodyLimit: LIMITS.maxRequestBytes,
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One access log line per answered request (onResponse below), with the request's id.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'request_id',
    }),
    requestIdHeader: false,
    genReqId: (raw) => requestId(raw.headers['x-request-id'], deps.newId),
    serverFactory: httpServerFactory(limits, ready),
    clientErrorHandler: answerClientError,
    // Ids are up to 128 characters; the id check answers longer ones, not the router with a 414.
    routerOptions: { maxParamLength: 1024 },
    // Malformed or over-long URLs are answered in the API's error format too.
    frameworkErrors: (error, _request, reply) =>
      sendError(reply, new DeclogError('invalid_parameter', error.message)),
  });
  const openapi = JSON.stringify(openApiDocument());
  const nowMs = () => deps.now().getTime();
  const security = createSecurityTrail({
    store: async () => (await deps.logs.security()).store,
    now: deps.now,
    newId: deps.newId,
    ...(deps.securityTrailLimits ? { limits: deps.securityTrailLimits } : {}),
    logError: deps.logError ?? (() => undefined),
  });
  const accessDeps: AccessDeps = {
    governance: deps.governance,
    logs: deps.logs,
    now: deps.now,
    limiter: createRateLimiter(deps.rateLimits ?? DEFAULT_RATE_LIMITS, nowMs),
    authFailures: createAddressBuckets({ perMinute: limits.authFailuresPerMinute }, nowMs),
    security,
    admitted: new WeakMap(),
  };
  const securityFlush = setInterval(() => void security.flush(), SECURITY_FLUSH_MS);
  securityFlush.unref();
  app.addHook('onClose', async () => {
    clearInterval(securityFlush);
    await security.flush();
  });
  const policies = tenantPolicies(deps.governance, deps.privacy?.pseudonymKeys ?? null);
  const recorded = recordedRoute(accessDeps);
  const models = modelPolicies(deps.governance, modelRegistry(deps.governance));
  const ingest = ingestService({
    log: async (tenant) => (await deps.logs.decisions(tenant)).store,
    policies,
    models,
    sealing: deps.privacy?.sealingKeys ?? null,
    now: deps.now,
    newId: deps.newId,
    // Large batches are checked and sealed in slices: probes and reads are served between.
    turns: eventLoopTurns(),
  });

  const decisionLog = async (access: RequestAccess) =>
    (await deps.logs.decisions(access.tenant)).reads;
  /** How the decision reads show stored rows: with personal values opened, when sealed. */
  const revealFor = (access: RequestAccess, store: EventStore): RevealRows =>
    deps.privacy ? revealPersonal(store, access.tenant, deps.privacy.keys) : plainRows;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', ...NDJSON_TYPES],
    // Read as bytes and decoded here: a string parser would turn bytes that are not UTF-8
    // into U+FFFD, or decode by another charset, and store what the client never sent.
    { parseAs: 'buffer' },
    // The text is parsed by the ingest service.
    (request, body, done) => {
      const type = request.headers['content-type'];
      try {
        assertUtf8Charset(type);
        const ndjson = isNdjsonContentType(type);
        done(null, { text: utf8Text(body as Buffer, 'body', ndjson), ndjson });
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );

  // After the key is checked (admitBeforeBody), before a byte of the body is read.
  app.addHook('preParsing', async (request) => {
    // GET and HEAD bodies are never read, whatever their encoding.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      assertIdentityEncoding(request.headers['content-encoding']);
    }
  });
  app.addHook('onSend', async (request, reply) => {
    // The dashboard's files say how long they may be kept; nothing else may be.
    const cacheControl = reply.getHeader('cache-control');
    reply.headers(SECURITY_HEADERS);
    if (cacheControl !== undefined) reply.header('cache-control', cacheControl);
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(accessLogLine(request, reply, accessDeps.admitted.get(request)), 'access');
  });
  admitBeforeBody(app, accessDeps);
  const methodsOf = routeMethods(app);

  app.setErrorHandler(async (error, request, reply) => {
    if (isDeclogError(error)) {
      // Refused before its body was read (no key, say): the body is never read, and the
      // connection is closed once the answer is out.
      if (!request.raw.complete) reply.header('connection', 'close');
      return sendError(reply, error);
    }
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
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = methodsOf(path);
    if (allowed.length === 0) {
      return sendError(
        reply,
        new DeclogError('route_not_found', `no route ${request.method} ${path}`),
      );
    }
    const allow = allowed.join(', ');
    return sendError(
      reply,
      new DeclogError(
        'method_not_allowed',
        `${request.method} is not allowed on ${path}; it answers ${allow}`,
        [{ path: 'Allow', message: allow }],
      ),
    );
  });

  // Real connections get these two before any routing (httpServerFactory); these routes answer
  // the same to requests injected without a socket.
  app.get('/healthz', async (_request, reply) => sendJson(reply, HEALTHY.json));
  app.get('/readyz', async (_request, reply) => {
    const answer = await readiness(ready);
    return sendJson(reply.status(answer.status), answer.json);
  });
  // The description of the API is no secret: tools and generated clients read it without a key.
  app.get('/openapi.json', async (_request, reply) => sendJson(reply, openapi));

  app.post('/v1/events', async (request, reply) => {
    const access = await requestAccess(accessDeps, request, INGEST_ACCESS.needs, 'write');
    if (request.body === undefined) {
      throw new DeclogError('invalid_body', 'body is empty; send {"events": [...]} or NDJSON');
    }
    const body = request.body as { text: string; ndjson: boolean };
    const results = await ingest.ingest({
      tenant: access.tenant,
      principal: access.principal,
      body: body.text,
      ndjson: body.ndjson,
    });
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
  app.get('/v1/me', async (request, reply) => {
    const { principal, tenant } = await requestAccess(accessDeps, request, 'read:public', 'read');
    return sendJson(
      reply,
      JSON.stringify({
        key_id: principal.keyId,
        name: principal.name,
        role: principal.role,
        tenant,
        all_tenants: principal.tenant === null,
      }),
    );
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

  dashboardRoutes(app, deps.dashboard ?? null);
  accessLogRoutes(app, deps, recorded);
  governanceRoutes(app, deps, recorded);
  retentionRoutes(app, deps, recorded);
  securityLogRoutes(app, deps, recorded);
  analyticsRoutes(app, deps, recorded, revealFor);
  policyRoutes(app, deps, recorded, {
    name: 'models',
    read: (tenant) => models.read(tenant),
    set: (tenant, value, by, at) => models.set(tenant, value, by, at),
    remove: (tenant) => models.remove(tenant),
  });
  return app;
}
