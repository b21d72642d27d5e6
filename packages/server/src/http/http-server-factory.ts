import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import { DeclogError } from '../errors.js';
import { ERROR_STATUS } from './error-status.js';
import { answerProbe } from './health-probes.js';
import { errorJson, SECURITY_HEADERS } from './http-replies.js';
import { timeoutCheckIntervalMs, type HttpLimits } from './http-limits.js';

/**
 * The HTTP server under the API: Node's, with `limits` applied (timeouts and the connection
 * cap), the health probes answered before anything else, and a request without the Host header
 * that HTTP/1.1 requires refused in the API's error shape.
 */
export function httpServerFactory(
  limits: HttpLimits,
  ready: () => Promise<void>,
): FastifyServerFactory {
  return (handler) => {
    const server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: timeoutCheckIntervalMs(limits),
        // Checked below, so that the refusal has the API's error shape.
        requireHostHeader: false,
      },
      (request, response) => {
        if (answerProbe(request, response, ready)) return;
        if (missesHost(request)) return refuseWithoutHost(response);
        handler(request, response);
      },
    );
    server.keepAliveTimeout = limits.idleTimeoutMs;
    server.maxConnections = limits.maxConnections;
    return server;
  };
}

function missesHost(request: IncomingMessage): boolean {
  return request.httpVersion === '1.1' && request.headers.host === undefined;
}

function refuseWithoutHost(response: ServerResponse): void {
  const error = new DeclogError('malformed_request', 'an HTTP/1.1 request needs a Host header');
  const json = errorJson(error);
  response.writeHead(ERROR_STATUS[error.code], {
    connection: 'close',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...SECURITY_HEADERS,
  });
  response.end(json);
}
