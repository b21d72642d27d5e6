import type { LogReader } from '../services/ledger/log-reader.js';
import { serverRequester, type ServerOptions } from './server-requester.js';

export type RemoteLogReaderOptions = ServerOptions;

/**
 * A LogReader over a declog server's HTTP API. It only transports: any answer other than a
 * 2xx with the expected media is an error, and what it returns is checked by the caller.
 */
export function remoteLogReader(options: RemoteLogReaderOptions): LogReader {
  const send = serverRequester(options);
  const base = options.url.replace(/\/+$/, '');

  async function text(path: string): Promise<string> {
    const answer = await send(path);
    if (!answer.ok) {
      throw new Error(`GET ${base}${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    }
    return answer.body;
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
