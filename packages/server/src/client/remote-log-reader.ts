import type { LedgerPaths, LogReader } from '../services/ledger/log-reader.js';
import { serverRequester, type ServerOptions } from './server-requester.js';

/** The tenant's decision log: `/v1/log/…` and `/v1/events`. */
export const DECISION_LOG_PATHS: LedgerPaths = {
  checkpoint: '/v1/log/checkpoint',
  entries: '/v1/events',
  proofs: '/v1/log/proof',
};

/** The tenant's access trail: `/v1/access-log/…`. */
export const ACCESS_LOG_PATHS: LedgerPaths = {
  checkpoint: '/v1/access-log/checkpoint',
  entries: '/v1/access-log/entries',
  proofs: '/v1/access-log/proof',
};

export interface RemoteLogReaderOptions extends ServerOptions {
  /** The log to read: the decision log (the default) or the access trail. */
  readonly paths?: LedgerPaths;
}

/**
 * A LogReader over a declog server's HTTP API. It only transports: any answer other than a
 * 2xx with the expected media is an error, and what it returns is checked by the caller.
 */
export function remoteLogReader(options: RemoteLogReaderOptions): LogReader {
  const send = serverRequester(options);
  const base = options.url.replace(/\/+$/, '');
  const paths = options.paths ?? DECISION_LOG_PATHS;

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
    paths,
    checkpoint: () => text(paths.checkpoint),
    verifierKey: () => text('/v1/log/key'),
    entries: (from, limit) => json(`${paths.entries}?from=${from}&limit=${limit}`),
    consistencyProof: (from, to) => json(`${paths.proofs}/consistency?from=${from}&to=${to}`),
    decisionWithProofs: (id) => json(`/v1/decisions/${encodeURIComponent(id)}?proof=true`),
  };
}
