import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './http-replies.js';

/** How long `/readyz` waits for the store before it answers 503. */
export const READY_TIMEOUT_MS = 2_000;

export interface ProbeAnswer {
  readonly status: number;
  readonly json: string;
}

/** `GET /healthz`: the server is serving. */
export const HEALTHY: ProbeAnswer = { status: 200, json: '{"status":"ok"}' };

/**
 * `GET /readyz`: 200 when the store answers `ready` within `timeoutMs`, else 503. It says
 * nothing of why (no address, no driver message): it needs no key.
 */
export async function readiness(
  ready: () => Promise<void>,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<ProbeAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const answered = await Promise.race([ready().then(() => 'ok' as const), late]);
    if (answered === 'ok') return { status: 200, json: '{"status":"ready","store":"ok"}' };
    return {
      status: 503,
      json: `{"status":"unavailable","store":"no answer within ${timeoutMs} ms"}`,
    };
  } catch {
    return { status: 503, json: '{"status":"unavailable","store":"unreachable"}' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers `GET /healthz` and `GET /readyz` (and their HEAD) straight from Node's request
 * event, before the framework's routing, hooks and body handling; false for any other
 * request. They need no key.
 */
export function answerProbe(
  request: IncomingMessage,
  response: ServerResponse,
  ready: () => Promise<void>,
): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url?.split('?')[0];
  if (path !== '/healthz' && path !== '/readyz') return false;
  const send = ({ status, json }: ProbeAnswer) => {
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      ...SECURITY_HEADERS,
    });
    response.end(request.method === 'HEAD' ? undefined : json);
  };
  if (path === '/healthz') send(HEALTHY);
  else void readiness(ready).then(send);
  return true;
}
