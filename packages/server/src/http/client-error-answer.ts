import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { DeclogError } from '../errors.js';
import { ERROR_STATUS } from './error-status.js';
import { errorJson, SECURITY_HEADERS } from './http-replies.js';

/**
 * Answers what Node's HTTP parser refuses before any route sees it (a malformed request line
 * or header, headers too large, a request not received within its timeout) in the API's error
 * shape, then closes the connection, as Node would have done with a bare status line.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Never write into an answer already under way on this connection.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const refusal = clientErrorOf(error);
    const status = ERROR_STATUS[refusal.code];
    const body = errorJson(refusal);
    const headers = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroy();
}

function clientErrorOf(error: Error & { code?: string }): DeclogError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DeclogError(
        'request_timeout',
        'the request was not received in time (see the server timeouts in docs/security.md)',
      );
    case 'HPE_HEADER_OVERFLOW':
      return new DeclogError('headers_too_large', 'the request headers are too large');
    default:
      return new DeclogError(
        'malformed_request',
        `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`,
      );
  }
}
