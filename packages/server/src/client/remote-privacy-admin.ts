import type { HoldView } from '../services/governance/legal-holds.js';
import type { StoredRetentionPolicy } from '../services/retention/retention-policies.js';
import type { PrivacyAdmin } from './privacy-admin.js';
import { serverJson } from './server-json.js';
import type { ServerOptions } from './server-requester.js';

/** Erases subjects and manages holds through a server's API, as the key given may. */
export function remotePrivacyAdmin(options: ServerOptions): PrivacyAdmin {
  const request = serverJson(options);
  return {
    erase: (subject, options = {}) =>
      request(
        `/v1/subjects/${encodeURIComponent(subject)}${options.force === true ? '?force=true' : ''}`,
        { method: 'DELETE' },
      ),
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
