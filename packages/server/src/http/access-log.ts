import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestAccess } from './request-access.js';

/** `declog serve --log-level`: pino's levels; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The access log line of an answered request, logged at `info` with the request's id
 * (`request_id`, bound by the framework): what was asked (method and route template, never the
 * URL, whose ids and filters may be personal data), the answer and its latency, and who asked
 * (key id and tenant, once the key was checked). Never a key, a header, a body or a value.
 */
export function accessLogLine(
  request: FastifyRequest,
  reply: FastifyReply,
  access: RequestAccess | undefined,
): Readonly<Record<string, string | number | null>> {
  return {
    method: request.method,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 1000) / 1000,
    key_id: access?.principal.keyId ?? null,
    tenant: access?.tenant ?? null,
  };
}
