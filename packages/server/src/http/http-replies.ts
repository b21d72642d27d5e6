import type { FastifyReply, FastifyRequest } from 'fastify';
import { LIMITS, formatPath, mayRepeatMembers, repeatedMembers } from '@declog/core';
import { DeclogError, type ErrorDetail } from '../errors.js';
import { ERROR_STATUS } from './error-status.js';
import { NDJSON_TYPES } from '../services/parse-event-body.js';

/** A JSON request body (other than events) as a value, or an invalid_json error. */
export function jsonBody(request: FastifyRequest): unknown {
  const body = request.body as { text: string; ndjson: boolean } | undefined;
  if (body === undefined || body.text.trim() === '') {
    throw new DeclogError('invalid_body', 'body is empty; send a JSON object');
  }
  if (body.ndjson) {
    throw new DeclogError('unsupported_media_type', 'content type must be application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch (error) {
    throw new DeclogError('invalid_json', `body is not valid JSON: ${(error as Error).message}`);
  }
  // JSON.parse keeps the last of repeated members silently: a request must mean one thing.
  const repeats = mayRepeatMembers(body.text, value) ? repeatedMembers(body.text) : [];
  if (repeats.length > 0) {
    throw new DeclogError(
      'invalid_json',
      'the body repeats a member name',
      repeats.map((path) => ({
        path: formatPath(path),
        message: 'repeats a member name of the same object (member names must be unique)',
      })),
    );
  }
  return value;
}

/** The named query parameters; any other, or a repeated one, is an invalid_query error. */
export function queryOf<K extends string>(
  url: string,
  allowed: readonly K[],
): Partial<Record<K, string>> {
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

export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export function sendError(reply: FastifyReply, error: DeclogError): FastifyReply {
  if (error.code === 'rate_limited') {
    const wait = error.details.find((d) => d.path === 'Retry-After')?.message;
    if (wait !== undefined) reply.header('retry-after', wait);
  }
  if (error.code === 'method_not_allowed') {
    const allow = error.details.find((d) => d.path === 'Allow')?.message;
    if (allow !== undefined) reply.header('allow', allow);
  }
  return reply
    .status(ERROR_STATUS[error.code])
    .type('application/json; charset=utf-8')
    .send(errorJson(error));
}

/** The API's error shape: `{"error": {"code", "message", "details"}}`. */
export function errorJson(error: DeclogError): string {
  const body: { code: string; message: string; details: readonly ErrorDetail[] } = {
    code: error.code,
    message: error.message,
    details: error.details,
  };
  return JSON.stringify({ error: body });
}

/**
 * Sent with every answer: no answer is to be sniffed into another content type, and none kept
 * by a cache (most carry personal data or secrets; the rest are cheap to ask again).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export function fromFastifyError(error: {
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
