import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import Database, { type Statement } from 'better-sqlite3';
import { expandEventText, packSealedRecord } from '@declog/core';
import { openSqliteDatabase, openSqliteStore } from 'declog';
import { decision, describeEventStore } from './conformance/event-store-conformance.js';
import { describeLogDatabase } from './conformance/governance-store-conformance.js';
import { describeLogAnalytics } from './conformance/log-analytics-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'declog-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStore('sqlite', async () => openSqliteStore(join(dir, `store-${(n += 1)}.db`)));

// The same suite on logs other than the default one, all in one file.
const shared = openSqliteDatabase(join(dir, 'many-logs.db'));
afterAll(() => shared.close());
describeEventStore('sqlite, a tenant log', async () => shared.logSync(`tenant-${(n += 1)}`));

describeLogAnalytics('sqlite', async () => openSqliteStore(join(dir, `store-${(n += 1)}.db`)));
describeLogAnalytics('sqlite, a tenant log', async () => shared.logSync(`tenant-${(n += 1)}`));

describeLogDatabase('sqlite', async () => openSqliteDatabase(join(dir, `database-${(n += 1)}.db`)));

describe('sqlite logs in one file', () => {
  it('gives a new log the same tables and indexes as the default log, prefixed', () => {
    const path = join(dir, 'schema.db');
    const database = openSqliteDatabase(path);
    database.logSync('acme');
    void database.close();
    const db = new Database(path, { readonly: true });
    const schema = (prefix: string) =>
      (
        db
          .prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE name LIKE ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
          )
          .all(`${prefix}%`) as { type: string; name: string; sql: string | null }[]
      )
        .filter((row) => prefix !== '' || !/^l\d+_/.test(row.name))
        .filter((row) =>
          ['events', 'decision', 'merkle', 'checkpoints', 'settings'].some((t) =>
            row.name.replace(/^l\d+_/, '').startsWith(t),
          ),
        )
        .map((row) => ({
          type: row.type,
          name: row.name.replace(prefix, ''),
          sql: (row.sql ?? '')
            .replaceAll(prefix, '')
            .replace(/\s+/g, ' ')
            // Columns added by a migration are appended to the stored text as ", name TYPE".
            .replace(/\s*,\s*/g, ', ')
            .replace(/\s*\)\s*$/, ')')
            .replace(/IF NOT EXISTS /g, ''),
        }));
    const [registered] = db.prepare("SELECT prefix FROM logs WHERE log_id = 'acme'").all() as {
      prefix: string;
    }[];
    expect(registered?.prefix).toMatch(/^l\d+_$/);
    const defaults = schema('');
    expect(defaults.length).toBeGreaterThan(10);
    expect(schema(registered?.prefix ?? '')).toEqual(defaults);
    db.close();
  });

  it('refuses a log that does not exist when read-only', async () => {
    const path = join(dir, 'readonly-logs.db');
    openSqliteStore(path).close();
    const reader = openSqliteDatabase(path, { readonly: true });
    expect(() => reader.logSync('absent')).toThrow('this database holds no log absent');
    expect(await reader.hasLog('default')).toBe(true);
    await reader.close();
  });
});

describe('sqlite durability of an append', () => {
  it('commits a `written` append unflushed, and flushes every later commit again', async () => {
    const store = openSqliteStore(join(dir, 'written.db'));
    // The store's statements are prepared once; every one is a Statement of this prototype.
    const probe = new Database(':memory:');
    const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Statement;
    probe.close();
    const run = vi.spyOn(statementPrototype, 'run');
    try {
      await store.append([decision('w1')], '2026-11-27T00:00:00.000Z', { durability: 'written' });
      // A conflict rolls the transaction back: the connection is put back all the same.
      const conflict = await store.append(
        [decision('w1', { summary: 'other' })],
        '2026-11-27T00:00:00.000Z',
        { durability: 'written' },
      );
      expect(conflict.ok).toBe(false);
      await store.append([decision('s1')], '2026-11-27T00:00:00.000Z');
      const pragmas = run.mock.contexts
        .map((statement) => (statement as Statement).source)
        .filter((source) => source.startsWith('PRAGMA'));
      expect(pragmas).toEqual([
        'PRAGMA synchronous = NORMAL',
        'PRAGMA synchronous = FULL',
        'PRAGMA synchronous = NORMAL',
        'PRAGMA synchronous = FULL',
      ]);
    } finally {
      run.mockRestore();
      await store.close();
    }
  });
});

describe('sqlite sealed records', () => {
  it('gives a packed record back packed, for readers to open in place', async () => {
    const store = openSqliteStore(join(dir, 'packed.db'));
    try {
      const record = JSON.stringify({
        alg: 'A256GCM',
        nonce: 'AAECAwQFBgcICQoL',
        ciphertext: 'Y2lwaGVy',
        tag: 'AAECAwQFBgcICQoLDA0ODw==',
      });
      const sealed = {
        ...decision('k1', { subject: 's-1' }),
        personal: { subject: 's-1', sealed: record },
      };
      await store.append([sealed], '2026-11-27T00:00:00.000Z');
      const stored = (await store.personalData(['k1'])).get('k1')?.sealed;
      expect(stored).toBeInstanceOf(Uint8Array);
      expect(
        Buffer.from(stored as Uint8Array).equals(Buffer.from(packSealedRecord(record) ?? [])),
      ).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('sqlite store file', () => {
  it('keeps the log across reopening and continues the seq', async () => {
    const path = join(dir, 'reopen.db');
    const first = openSqliteStore(path);
    await first.append([decision('d1')], '2026-11-27T00:00:00.000Z');
    await first.close();
    const second = openSqliteStore(path);
    const result = await second.append([decision('d2')], '2026-11-27T00:00:00.000Z');
    expect(result.ok && result.items[0]?.seq).toBe(1);
    expect((await second.eventById('d1'))?.seq).toBe(0);
    await second.close();
  });

  it('keeps bodies compact, and reads a body stored as plain canonical JSON as well', async () => {
    const path = join(dir, 'compact.db');
    const store = openSqliteStore(path);
    await store.append([decision('c1'), decision('c2')], '2026-11-27T00:00:00.000Z');
    const canonical = (await store.eventById('c1'))?.json ?? '';
    const sql = new Database(path);
    const stored = sql.prepare('SELECT body FROM events WHERE seq = 0').pluck().get() as string;
    expect(stored.startsWith('\u0001')).toBe(true);
    expect(stored.length).toBeLessThan(canonical.length * 0.8);
    expect(expandEventText(stored)).toBe(canonical);
    // A row written before bodies were compacted.
    sql.prepare('UPDATE events SET body = ? WHERE seq = 0').run(canonical);
    sql.close();
    expect((await store.eventById('c1'))?.json).toBe(canonical);
    expect((await store.scan(0, 2)).map((row) => 'json' in row && row.json)).toEqual([
      canonical,
      (await store.eventById('c2'))?.json,
    ]);
    const resent = await store.append([decision('c1')], '2026-11-27T00:00:01.000Z');
    expect(resent.ok && resent.items[0]?.status).toBe('duplicate');
    await store.close();
  });

  it('lets two connections append to one file without gaps or reuse of seq', async () => {
    const path = join(dir, 'two.db');
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    for (let i = 0; i < 20; i += 1) {
      await (i % 2 === 0 ? a : b).append([decision(`x${i}`)], '2026-11-27T00:00:00.000Z');
    }
    expect(await a.size()).toBe(20);
    for (let i = 0; i < 20; i += 1) expect((await b.eventById(`x${i}`))?.seq).toBe(i);
    await a.close();
    await b.close();
  });

  it('opens read-only beside a writer: reads what is committed, refuses to append', async () => {
    const path = join(dir, 'readonly.db');
    const writer = openSqliteStore(path);
    await writer.append([decision('r1')], '2026-11-27T00:00:00.000Z');
    const reader = openSqliteStore(path, { readonly: true });
    await writer.append([decision('r2')], '2026-11-27T00:00:00.000Z');
    expect((await reader.eventById('r2'))?.seq).toBe(1);
    await expect(reader.append([decision('r3')], '2026-11-27T00:00:00.000Z')).rejects.toThrow(
      /readonly/i,
    );
    expect(() => openSqliteStore(join(dir, 'absent.db'), { readonly: true })).toThrow();
    await reader.close();
    await writer.close();
  });
});
