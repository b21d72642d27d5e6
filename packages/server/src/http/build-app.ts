import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { LIMITS, parseDecisionQuery, type EventStore } from '@declog/core';
import { DeclogError, isDeclogError, type ErrorDetail } from '../errors.js';
import { appendPrepared } from '../services/ingest-events.js';
import { listDecisions, readAction, readDecisionChain } from '../services/read-events.js';
import type { LogIdentity } from '../services/ledger/log-identity.js';
import { issuingCheckpoints, type CheckpointSource } from '../services/ledger/checkpoint-source.js';
import { replicaCheckpoints } from '../services/ledger/replica-checkpoints.js';
import {
  consistencyProofJson,
  decisionChainWithProofs,
  inclusionProofJson,
  checkpointNote,
  readEntries,
  readEntry,
} from '../services/ledger/read-log.js';
import { drainRequest } from './drain-request.js';
import { ERROR_STATUS } from './error-status.js';
import { NDJSON_TYPES } from '../services/parse-event-body.js';
import { prepareInThread, type PrepareEvents } from '../services/prepare-events.js';
import { openApiDocument } from './openapi-document.js';

export interface AppDeps {
  /** Where events are appended (and, without `readStore`, read). */
  readonly store: EventStore;
  /**
   * Where the read endpoints read, if not `store`: a read replica, opened read-only. It may be
   * behind `store`; every answer comes from it alone, so each one is consistent in itself.
   */
  readonly readStore?: EventStore;
  /**
   * Where the read endpoints get checkpoints: by default signed on `store` when needed, or,
   * with a `readStore`, the ones that have replicated to it.
   */
  readonly checkpoints?: CheckpointSource;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly identity: LogIdentity;
  /** Parses and prepares ingest bodies; defaults to the calling thread. */
  readonly prepare?: PrepareEvents;
  /** Where to log unexpected errors; they never reach the client in detail. */
  readonly logError?: (error: unknown) => void;
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
  const reads = {
    store: deps.readStore ?? deps.store,
    checkpoints:
      deps.checkpoints ??
      (deps.readStore ? replicaCheckpoints(deps.readStore) : issuingCheckpoints(deps)),
  };

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
  app.get('/openapi.json', async (_request, reply) => sendJson(reply, openapi));

  app.post('/v1/events', async (request, reply) => {
    if (request.body === undefined) {
      throw new DeclogError('invalid_body', 'body is empty; send {"events": [...]} or NDJSON');
    }
    const body = request.body as { text: string; ndjson: boolean };
    const results = await appendPrepared(deps, await prepare(body.text, body.ndjson));
    return sendJson(reply, JSON.stringify({ results }));
  });

  app.get<{ Params: { id: string } }>('/v1/decisions/:id', async (request, reply) => {
    const { proof } = queryOf(request.url, ['proof']);
    if (proof !== undefined && proof !== 'true' && proof !== 'false') {
      throw new DeclogError('invalid_query', 'proof must be true or false', [
        { path: 'proof', message: 'must be true or false' },
      ]);
    }
    const id = request.params.id;
    return sendJson(
      reply,
      proof === 'true'
        ? await decisionChainWithProofs(reads, id)
        : await readDecisionChain(reads.store, id),
    );
  });
  app.get('/v1/decisions', async (request, reply) => {
    const search = new URLSearchParams(request.url.split('?')[1] ?? '');
    return sendJson(reply, await listDecisions(reads.store, parseDecisionQuery(search)));
  });
  app.get<{ Params: { id: string } }>('/v1/actions/:id', async (request, reply) =>
    sendJson(reply, await readAction(reads.store, request.params.id)),
  );

  app.get<{ Params: { seq: string } }>('/v1/events/:seq', async (request, reply) =>
    sendJson(reply, await readEntry(reads.store, request.params.seq)),
  );
  app.get('/v1/events', async (request, reply) => {
    const { from, limit } = queryOf(request.url, ['from', 'limit']);
    return sendJson(reply, await readEntries(reads.store, from, limit));
  });
  app.get('/v1/log/checkpoint', async (request, reply) => {
    const { size } = queryOf(request.url, ['size']);
    return reply.type('text/plain; charset=utf-8').send(await checkpointNote(reads, size));
  });
  app.get('/v1/log/key', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(`${deps.identity.verifierKey}\n`),
  );
  app.get('/v1/log/proof/inclusion', async (request, reply) => {
    const { seq, size } = queryOf(request.url, ['seq', 'size']);
    return sendJson(reply, await inclusionProofJson(reads, seq, size));
  });
  app.get('/v1/log/proof/consistency', async (request, reply) => {
    const { from, to } = queryOf(request.url, ['from', 'to']);
    return sendJson(reply, await consistencyProofJson(reads.store, from, to));
  });
  return app;
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
