import { beforeAll, describe, expect, it } from 'vitest';
import { expandEventText, leafText } from '@declog/core';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { openPostgresDatabase, openPostgresStore } from 'declog';
import { decision, describeEventStore } from './conformance/event-store-conformance.js';
import { describeLogDatabase } from './conformance/governance-store-conformance.js';
import { describeLogAnalytics } from './conformance/log-analytics-conformance.js';
import { freshPostgresDatabase, withPostgres } from './helpers/postgres.js';

let url = '';
let n = 0;
beforeAll(async () => {
  url = await freshPostgresDatabase();
});

// Each test gets a log of its own: a new tenant in one database.
describeEventStore('postgres', async () => openPostgresStore(url, { tenant: `t${(n += 1)}` }));

describeLogAnalytics('postgres', async () => openPostgresStore(url, { tenant: `t${(n += 1)}` }));

describeLogDatabase('postgres', async () => openPostgresDatabase(await freshPostgresDatabase()));

describe('postgres store', () => {
  const RECORDED = '2026-11-27T00:00:00.000Z';

  it('keeps tenants apart: each has its own seqs, ids and checkpoints', async () => {
    const a = await openPostgresStore(url, { tenant: 'apart-a' });
    const b = await openPostgresStore(url, { tenant: 'apart-b' });
    try {
      await a.append([decision('same')], RECORDED);
      const inB = await b.append([decision('same', { summary: 'other content' })], RECORDED);
      expect(inB).toEqual({ ok: true, items: [{ id: 'same', seq: 0, status: 'created' }] });
      expect(await a.size()).toBe(1);
      expect(JSON.parse((await b.eventById('same'))?.json ?? '{}')).toMatchObject({
        rationale: { summary: 'other content' },
      });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets several stores (as several servers) append to one tenant without gaps', async () => {
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore(url, { tenant: 'shared', poolSize: 2 })),
    );
    try {
      await Promise.all(
        stores.map((store, s) =>
          (async () => {
            for (let i = 0; i < 15; i += 1) {
              const result = await store.append([decision(`s${s}-${i}`)], RECORDED);
              expect(result.ok).toBe(true);
            }
          })(),
        ),
      );
      expect(await stores[0]?.size()).toBe(45);
      const rows = await stores[1]?.scan(0, 100);
      expect(rows?.map((row) => row.seq)).toEqual([...Array(45).keys()]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('puts records into monthly partitions made ahead of time', async () => {
    const store = await openPostgresStore(url, { tenant: 'partitions' });
    try {
      await store.append([decision('p1')], new Date().toISOString());
      const rows = await withPostgres(url, (client) =>
        client.query<{ partition: string }>(
          "SELECT tableoid::regclass::text AS partition FROM events WHERE tenant_id = 'partitions'",
        ),
      );
      expect(rows.rows[0]?.partition).toMatch(/^events_y\d{4}m\d{2}$/);
    } finally {
      await store.close();
    }
  });

  it('puts copied entries into the partitions of the months they were recorded in', async () => {
    const store = await openPostgresStore(url, { tenant: 'copied-months' });
    try {
      const at = ['2023-05-31T23:59:59.999Z', '2023-06-01T00:00:00.000Z'];
      await store.appendSealed(
        [decision('m1', { reasons: ['R'], labels: { k: 'v' } }), decision('m2')].map(
          (event, seq) => ({
            event,
            seq,
            recordedAt: at[seq] as string,
            json: leafText(event, seq, at[seq] as string),
          }),
        ),
      );
      const rows = await withPostgres(url, (client) =>
        client.query<{ partition: string }>(
          `SELECT tableoid::regclass::text AS partition FROM events WHERE tenant_id = 'copied-months'
           UNION ALL SELECT tableoid::regclass::text FROM decisions WHERE tenant_id = 'copied-months'`,
        ),
      );
      expect(rows.rows.map((row) => row.partition).sort()).toEqual([
        'decisions_y2023m05',
        'decisions_y2023m06',
        'events_y2023m05',
        'events_y2023m06',
      ]);
    } finally {
      await store.close();
    }
  });

  it('keeps bodies compact, and reads a body stored as plain canonical JSON as well', async () => {
    const store = await openPostgresStore(url, { tenant: 'compact' });
    try {
      await store.append([decision('c1')], RECORDED);
      const canonical = (await store.eventById('c1'))?.json ?? '';
      await withPostgres(url, async (client) => {
        const { rows } = await client.query<{ body: string }>(
          "SELECT body FROM events WHERE tenant_id = 'compact' AND seq = 0",
        );
        const stored = rows[0]?.body ?? '';
        expect(stored.startsWith('\u0001')).toBe(true);
        expect(stored.length).toBeLessThan(canonical.length * 0.8);
        expect(expandEventText(stored)).toBe(canonical);
        await client.query("UPDATE events SET body = $1 WHERE tenant_id = 'compact' AND seq = 0", [
          canonical,
        ]);
      });
      expect((await store.eventById('c1'))?.json).toBe(canonical);
      const resent = await store.append([decision('c1')], RECORDED);
      expect(resent.ok && resent.items[0]?.status).toBe('duplicate');
    } finally {
      await store.close();
    }
  });

  it('opens read-only: reads, but refuses to append', async () => {
    const writer = await openPostgresStore(url, { tenant: 'ro' });
    await writer.append([decision('r1')], RECORDED);
    await writer.close();
    const reader = await openPostgresStore(url, { tenant: 'ro', readonly: true });
    try {
      expect((await reader.eventById('r1'))?.seq).toBe(0);
      await expect(reader.append([decision('r2')], RECORDED)).rejects.toThrow(/read-only/);
    } finally {
      await reader.close();
    }
  });

  it('refuses a tenant without a log when it must exist, or when read-only', async () => {
    await expect(openPostgresStore(url, { tenant: 'absent', mustExist: true })).rejects.toThrow(
      /no declog log in the database \w+ on [\w.:]+ for tenant absent/,
    );
    await expect(openPostgresStore(url, { tenant: 'absent', readonly: true })).rejects.toThrow(
      /no declog log/,
    );
  });

  it('returns the first value of a setting even when its writer commits while it waits', async () => {
    const store = await openPostgresStore(url, { tenant: 'settings-race' });
    const first = new pg.Client({ connectionString: url });
    await first.connect();
    try {
      await first.query('BEGIN');
      await first.query(
        "INSERT INTO settings (tenant_id, key, value) VALUES ('settings-race', 'origin', 'first')",
      );
      // This insert waits on the open transaction above, which then commits.
      const second = store.initSetting('origin', 'second');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('COMMIT');
      expect(await second).toBe('first');
    } finally {
      await first.end();
      await store.close();
    }
  });

  it('gives up on a database that never answers, as store_unavailable, after the timeout', async () => {
    // Accepts connections and then says nothing, like a host behind a dropping firewall.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = performance.now();
    try {
      await expect(
        openPostgresStore(`postgres://declog@127.0.0.1:${port}/declog`, { connectTimeoutMs: 300 }),
      ).rejects.toMatchObject({ code: 'store_unavailable' });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });
});
