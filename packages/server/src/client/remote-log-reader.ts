import type { LogReader } from '../services/ledger/log-reader.js';

export interface RemoteLogReaderOptions {
  readonly url: string;
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch;
}

/**
 * A LogReader over a declog server's HTTP API. It only transports: any answer other than a
 * 2xx with the expected media is an error, and what it returns is checked by the caller.
 */
export function remoteLogReader(options: RemoteLogReaderOptions): LogReader {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = options.apiKey
    ? { authorization: `Bearer ${options.apiKey}` }
    : {};

  async function text(path: string): Promise<string> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { headers });
    } catch (error) {
      const cause = (error as Error).cause ?? (error as Error).message;
      throw new Error(`cannot reach ${base}: ${String(cause)}`, { cause: error });
    }
    const body = await response.text();
    if (!response.ok) {
      throw new Error(`GET ${base}${path} answered ${response.status}: ${body.slice(0, 200)}`);
    }
    return body;
  }

  async function json(path: string): Promise<unknown> {
    const body = await text(path);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new Error(`GET ${base}${path} did not answer JSON: ${body.slice(0, 200)}`);
    }
  }

  return {
    checkpoint: () => text('/v1/log/checkpoint'),
    verifierKey: () => text('/v1/log/key'),
    entries: (from, limit) => json(`/v1/events?from=${from}&limit=${limit}`),
    consistencyProof: (from, to) => json(`/v1/log/proof/consistency?from=${from}&to=${to}`),
    decisionWithProofs: (id) => json(`/v1/decisions/${encodeURIComponent(id)}?proof=true`),
  };
}
