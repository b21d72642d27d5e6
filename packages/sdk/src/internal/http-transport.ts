import { retryAfterMs } from './backoff.js';
import { refusalOutcome } from './refusal-outcome.js';
import type { SendOutcome, Transport } from './transport.js';

export interface HttpTransportOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:7300`. */
  readonly url: string;
  readonly apiKey: string;
  readonly tenant: string | undefined;
  readonly requestTimeoutMs: number;
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  readonly headers: Readonly<Record<string, string>>;
}

interface ErrorBody {
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly details?: unknown;
  };
}

/**
 * POST /v1/events as NDJSON: the events' texts joined by newlines, never re-encoded. The
 * runtime's fetch keeps connections alive (Node's undici pools them per origin).
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/events`;
  const headers: Record<string, string> = {
    ...options.headers,
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/x-ndjson',
  };
  if (options.tenant !== undefined) headers['x-declog-tenant'] = options.tenant;
  return {
    async send(batch) {
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(endpoint, {
          method: 'POST',
          headers,
          body: batch.map((r) => r.json).join('\n'),
          signal: AbortSignal.timeout(options.requestTimeoutMs),
        });
        text = await response.text();
      } catch (cause) {
        return { kind: 'retry', message: `no answer from ${endpoint}: ${describe(cause)}`, cause };
      }
      return outcome(response, text, batch.length, options.now());
    },
    close: () => Promise.resolve(),
  };
}

function outcome(response: Response, text: string, count: number, nowMs: number): SendOutcome {
  const body = parse(text);
  if (response.ok) {
    const results = (body as { results?: unknown } | undefined)?.results;
    if (!Array.isArray(results) || results.length !== count) {
      return {
        kind: 'retry',
        status: response.status,
        message: `the server answered ${response.status} without one result per event`,
      };
    }
    const duplicates = results.filter(
      (r) => (r as { status?: unknown } | null)?.status === 'duplicate',
    ).length;
    return { kind: 'stored', created: count - duplicates, duplicates };
  }
  const error = (body as ErrorBody | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'unknown';
  const message = typeof error?.message === 'string' ? error.message : text.slice(0, 500);
  return refusalOutcome({
    status: response.status,
    code,
    message,
    issues: issues(error),
    from: 'the server',
    retryAfterMs: retryAfterMs(response.headers.get('retry-after'), nowMs),
  });
}

function issues(error: ErrorBody['error']) {
  if (!Array.isArray(error?.details)) return [];
  return error.details.flatMap((detail: unknown) => {
    const d = detail as { index?: unknown; path?: unknown; message?: unknown } | null;
    if (d === null || typeof d !== 'object') return [];
    return [
      {
        ...(typeof d.index === 'number' && { index: d.index }),
        path: typeof d.path === 'string' ? d.path : '',
        message: typeof d.message === 'string' ? d.message : '',
      },
    ];
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}
