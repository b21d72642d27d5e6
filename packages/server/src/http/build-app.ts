import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { LIMITS, parseDecisionQuery, type EventStore } from '@declog/core';
import { DeclogError, isDeclogError, type ErrorDetail } from '../errors.js';
import { ingestEvents } from '../services/ingest-events.js';
import { listDecisions, readAction, readDecisionChain } from '../services/read-events.js';
import { ERROR_STATUS } from './error-status.js';
import { NDJSON_TYPES, parseEventBody } from './parse-event-body.js';
import { openApiDocument } from './openapi-document.js';

export interface AppDeps {
  readonly store: EventStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Where to log unexpected errors; they never reach the client in detail. */
  readonly logError?: (error: unknown) => void;
}

/** The HTTP API v1. Routes parse, call a service and map the result; nothing else. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: LIMITS.maxRequestBytes, logger: false });
  const openapi = JSON.stringify(openApiDocument());

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', ...NDJSON_TYPES],
    { parseAs: 'string' },
    (request, body, done) => {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      try {
        done(null, parseEventBody(body as string, mediaType !== 'application/json'));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );

  app.setErrorHandler((error, _request, reply) => {
    if (isDeclogError(error)) return sendError(reply, error);
    const fastifyError = error as { code?: string; statusCode?: number; message?: string };
    const mapped = fromFastifyError(fastifyError);
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
    const results = await ingestEvents(deps, request.body as Parameters<typeof ingestEvents>[1]);
    return sendJson(reply, JSON.stringify({ results }));
  });

  app.get<{ Params: { id: string } }>('/v1/decisions/:id', async (request, reply) =>
    sendJson(reply, await readDecisionChain(deps.store, request.params.id)),
  );
  app.get('/v1/decisions', async (request, reply) => {
    const search = new URLSearchParams(request.url.split('?')[1] ?? '');
    return sendJson(reply, await listDecisions(deps.store, parseDecisionQuery(search)));
  });
  app.get<{ Params: { id: string } }>('/v1/actions/:id', async (request, reply) =>
    sendJson(reply, await readAction(deps.store, request.params.id)),
  );
  return app;
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
