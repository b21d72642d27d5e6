import type { AppendedItem } from '@declog/core';
import { errorFromResponse } from './error-from-response.js';
import type { LogClient } from './log-client.js';
import { serverRequester, type ServerOptions } from './server-requester.js';

export type RemoteClientOptions = ServerOptions;

/** A client of a declog server's HTTP API v1. */
export function remoteClient(options: RemoteClientOptions): LogClient {
  const send = serverRequester(options);
  async function request(path: string, init: RequestInit = {}): Promise<string> {
    const answer = await send(path, init);
    if (answer.ok) return answer.body;
    throw errorFromResponse(answer.status, answer.body);
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
