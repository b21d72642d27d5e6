import type { HoldView } from '../services/governance/legal-holds.js';
import type { StoredRetentionPolicy } from '../services/retention/retention-policies.js';
import { errorFromResponse } from './error-from-response.js';
import type { PrivacyAdmin } from './privacy-admin.js';
import { serverRequester, type ServerOptions } from './server-requester.js';

/** Erases subjects and manages holds through a server's API, as the key given may. */
export function remotePrivacyAdmin(options: ServerOptions): PrivacyAdmin {
  const send = serverRequester(options);
  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const answer = await send(path, init);
    if (!answer.ok) throw errorFromResponse(answer.status, answer.body);
    return JSON.parse(answer.body) as T;
  }
  return {
    erase: (subject) =>
      request(`/v1/subjects/${encodeURIComponent(subject)}`, { method: 'DELETE' }),
    placeHold: (body) =>
      request('/v1/holds', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    holds: async ({ standing }) =>
      (
        await request<{ holds: readonly HoldView[] }>(
          `/v1/holds${standing ? '?standing=true' : ''}`,
        )
      ).holds,
    releaseHold: (id) => request(`/v1/holds/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    async retentionPolicy() {
      const stored = await request<StoredRetentionPolicy | { policy: null }>(
        '/v1/policies/retention',
      );
      return stored.policy === null ? null : (stored as StoredRetentionPolicy);
    },
    setRetentionPolicy: (policy) =>
      request('/v1/policies/retention', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(policy),
      }),
    removeRetentionPolicy: async () =>
      (await request<{ removed: boolean }>('/v1/policies/retention', { method: 'DELETE' })).removed,
    retention: ({ dryRun }) =>
      dryRun ? request('/v1/retention/plan') : request('/v1/retention/apply', { method: 'POST' }),
    async close() {},
  };
}
