import { describe, expect, it } from 'vitest';
import { generateSigner } from '@declog/core';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { openIdentity } from './log-identity-options.js';

describe('openIdentity', () => {
  it('lets servers starting together on a new log, without --origin, agree on one origin', async () => {
    const store = await openSqliteStore(':memory:');
    const env = { DECLOG_SIGNING_KEY: generateSigner('example.org/log').signerKey };
    try {
      // Both read "no origin yet" before either stores the one it proposes.
      const [first, second] = await Promise.all([
        openIdentity(store, ':memory:', {}, env),
        openIdentity(store, ':memory:', {}, env),
      ]);
      expect(first.origin).toMatch(/^declog\.local\/log\/[0-9a-f]{16}$/);
      expect(second.origin).toBe(first.origin);
      expect(await store.setting('origin')).toBe(first.origin);
    } finally {
      await store.close();
    }
  });
});
