import type { KeyView } from '../services/governance/manage-keys.js';
import { errorFromResponse } from './error-from-response.js';
import type { KeyAdmin } from './key-admin.js';
import { serverRequester, type ServerOptions } from './server-requester.js';

/** Manages keys through a server's `/v1/keys` endpoints, as the key given may. */
export function remoteKeyAdmin(options: ServerOptions): KeyAdmin {
  const send = serverRequester(options);
  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const answer = await send(path, init);
    if (!answer.ok) throw errorFromResponse(answer.status, answer.body);
    return JSON.parse(answer.body) as T;
  }
  return {
    create: (body) =>
      request('/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    list: async () => (await request<{ keys: readonly KeyView[] }>('/v1/keys')).keys,
    revoke: (id) => request(`/v1/keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    async close() {},
  };
}
