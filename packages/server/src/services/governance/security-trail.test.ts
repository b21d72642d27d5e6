import { describe, expect, it } from 'vitest';
import { SECURITY_LOG_ID, type EventStore } from '@declog/core';
import { openSqliteDatabase } from '../../store/sqlite/sqlite-database.js';
import { createSecurityTrail, type Refusal } from './security-trail.js';

const refusal = (address: string, kind: Refusal['refusal'] = 'unauthorized'): Refusal => ({
  refusal: kind,
  status: 401,
  message: 'no key',
  method: 'GET',
  route: '/v1/decisions',
  address,
});

function trail(limits = { perAddressPerMinute: 2, perMinute: 5 }) {
  const database = openSqliteDatabase(':memory:');
  const store: EventStore = database.logSync(SECURITY_LOG_ID);
  let now = Date.parse('2026-01-01T00:00:00Z');
  let id = 0;
  const errors: unknown[] = [];
  const security = createSecurityTrail({
    store: async () => store,
    now: () => new Date(now),
    newId: () => `sec-${(id += 1)}`,
    limits,
    logError: (error) => errors.push(error),
  });
  const entries = async () =>
    (await store.scan(0, 1000)).map((row) => JSON.parse('json' in row ? row.json : '{}'));
  return { security, entries, errors, advance: (ms: number) => (now += ms) };
}

describe('createSecurityTrail', () => {
  it('records refusals one by one within the limits of each address and of all', async () => {
    const { security, entries, errors } = trail();
    for (const address of ['a', 'a', 'a', 'b', 'b', 'c', 'c']) {
      await security.refused(refusal(address));
    }
    const recorded = (await entries()).map((entry) => entry.client.address);
    // a: 2 of 3 (its own limit); b: 2; c: 1 (5 in all).
    expect(recorded).toEqual(['a', 'a', 'b', 'b', 'c']);
    expect(errors).toEqual([]);
  });

  it('records what it counted when flushed: one suppressed entry per address, by kind', async () => {
    const { security, entries, advance } = trail();
    for (let i = 0; i < 5; i += 1) await security.refused(refusal('a'));
    await security.refused(refusal('a', 'auth_rate_limited'));
    advance(60_000);
    await security.flush();
    const all = await entries();
    expect(all.map((entry) => entry.refusal)).toEqual([
      'unauthorized',
      'unauthorized',
      'suppressed',
    ]);
    expect(all[2]).toMatchObject({
      type: 'security',
      client: { address: 'a' },
      counts: { unauthorized: 3, auth_rate_limited: 1 },
    });
    await security.flush();
    expect(await entries(), 'nothing is counted twice').toHaveLength(3);
  });

  it('keeps the counts it cannot record yet for a later flush', async () => {
    const { security, entries, advance } = trail({ perAddressPerMinute: 1, perMinute: 2 });
    for (const address of ['a', 'b', 'a', 'b', 'c', 'd']) await security.refused(refusal(address));
    // a and b recorded; the overall budget is spent: nothing more until it refills.
    await security.flush();
    expect((await entries()).map((entry) => entry.refusal)).toEqual([
      'unauthorized',
      'unauthorized',
    ]);
    advance(60_000);
    await security.flush();
    const suppressed = (await entries()).filter((entry) => entry.refusal === 'suppressed');
    expect(suppressed.map((entry) => entry.client.address)).toEqual(['a', 'b']);
    advance(60_000);
    await security.flush();
    const later = (await entries()).filter((entry) => entry.refusal === 'suppressed');
    expect(later.map((entry) => entry.client.address)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('answers a refusal even when the trail cannot be stored', async () => {
    const errors: unknown[] = [];
    const security = createSecurityTrail({
      store: async () => {
        throw new Error('disk on fire');
      },
      now: () => new Date(0),
      newId: () => 'x',
      logError: (error) => errors.push(error),
    });
    await security.refused(refusal('a'));
    expect(errors).toHaveLength(1);
  });
});
