import type { AppendedItem } from '@declog/core';
import { DeclogError, type ErrorCode, type ErrorDetail } from '../errors.js';
import type { LogClient } from './log-client.js';

export interface RemoteClientOptions {
  readonly url: string;
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch;
}

/** A client of a declog server's HTTP API v1. */
export function remoteClient(options: RemoteClientOptions): LogClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = options.apiKey
    ? { authorization: `Bearer ${options.apiKey}` }
    : {};

  async function request(path: string, init: RequestInit = {}): Promise<string> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        ...init,
        headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
      });
    } catch (error) {
      throw new Error(
        `cannot reach ${base}: ${(error as Error).cause ?? (error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (response.ok) return text;
    throw errorFromResponse(response.status, text);
  }

  return {
    async ingest(lines) {
      const text = await request('/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: lines.join('\n'),
      });
      return (JSON.parse(text) as { results: AppendedItem[] }).results;
    },
    decisionChain: (id) => request(`/v1/decisions/${encodeURIComponent(id)}`),
    listDecisions: (params) => request(`/v1/decisions?${params.toString()}`),
    async close() {},
  };
}

function errorFromResponse(status: number, text: string): Error {
  try {
    const { error } = JSON.parse(text) as {
      error: { code: string; message: string; details?: ErrorDetail[] };
    };
    return new DeclogError(error.code as ErrorCode, error.message, error.details ?? []);
  } catch {
    return new Error(`server answered ${status}: ${text.slice(0, 200)}`);
  }
}
