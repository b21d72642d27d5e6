import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from 'declog';
import { decision, describeEventStore } from './conformance/event-store-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'declog-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStore('sqlite', async () => openSqliteStore(join(dir, `store-${(n += 1)}.db`)));

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
