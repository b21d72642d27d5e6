import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigner } from '@declog/core';
import { openSqliteStore } from '../store/sqlite/sqlite-database.js';
import { openIdentity } from './log-identity-options.js';

const dir = mkdtempSync(join(tmpdir(), 'declog-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openIdentity', () => {
  it('lets servers starting together on a new log, without --origin, agree on one origin', async () => {
    const store = await openSqliteStore(':memory:');
    // The key file beside this (unused) path is created by whichever start gets there first.
    const location = join(dir, 'race.db');
    try {
      // Both read "no origin yet" before either stores the one it proposes.
      const [first, second] = await Promise.all([
        openIdentity(store, location, {}, {}),
        openIdentity(store, location, {}, {}),
      ]);
      expect(first.origin).toMatch(/^declog\.local\/log\/[0-9a-f]{16}$/);
      expect(second.origin).toBe(first.origin);
      expect(second.verifierKey).toBe(first.verifierKey);
      expect(await store.setting('origin')).toBe(first.origin);
    } finally {
      await store.close();
    }
  });

  it("names a new log's origin after a signing key given without --origin", async () => {
    const store = await openSqliteStore(':memory:');
    const env = { DECLOG_SIGNING_KEY: generateSigner('example.org/log').signerKey };
    try {
      const identity = await openIdentity(store, join(dir, 'named.db'), {}, env);
      expect(identity.origin).toBe('example.org/log');
      const again = await openIdentity(store, join(dir, 'named.db'), {}, env);
      expect(again.origin).toBe('example.org/log');
    } finally {
      await store.close();
    }
  });

  it('keeps --origin over the key name on first start', async () => {
    const store = await openSqliteStore(':memory:');
    const env = { DECLOG_SIGNING_KEY: generateSigner('example.org/log').signerKey };
    try {
      const identity = await openIdentity(
        store,
        join(dir, 'flag.db'),
        { origin: 'example.org/other' },
        env,
      );
      expect(identity.origin).toBe('example.org/other');
    } finally {
      await store.close();
    }
  });
});
