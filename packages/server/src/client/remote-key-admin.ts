import type { KeyView } from '../services/governance/manage-keys.js';
import type { KeyAdmin } from './key-admin.js';
import { serverJson } from './server-json.js';
import type { ServerOptions } from './server-requester.js';

/** Manages keys through a server's `/v1/keys` endpoints, as the key given may. */
export function remoteKeyAdmin(options: ServerOptions): KeyAdmin {
  const request = serverJson(options);
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
