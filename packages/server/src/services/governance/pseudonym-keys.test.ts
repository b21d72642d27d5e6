import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseMasterKey,
  singleKeyRing,
  unwrapPseudonymKey,
  unwrapSubjectKey,
  type LogDatabase,
  type MasterKey,
} from '@declog/core';
import { openSqliteDatabase } from '../../store/sqlite/sqlite-database.js';
import { PSEUDONYM_KEY_SETTING, pseudonymKeys } from './pseudonym-keys.js';

function freshKey(): MasterKey {
  const parsed = parseMasterKey(randomBytes(32).toString('hex'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.key;
}

let database: LogDatabase;
const master = freshKey();
const stored = (tenant: string) => database.governance.tenantSetting(tenant, PSEUDONYM_KEY_SETTING);

beforeEach(() => {
  database = openSqliteDatabase(':memory:');
});
afterEach(() => database.close());

describe('pseudonymKeys', () => {
  it('makes a key per tenant at first use and stores it wrapped, never in the clear', async () => {
    const keys = pseudonymKeys(database.governance, singleKeyRing(master));
    const acme = await keys.keyOf('acme');
    expect(acme).toHaveLength(32);
    expect(await keys.keyOf('acme')).toEqual(acme);
    expect(await keys.keyOf('beta')).not.toEqual(acme);
    const text = (await stored('acme')) ?? '';
    expect(text).not.toContain(Buffer.from(acme).toString('base64'));
    expect(text).not.toContain(Buffer.from(acme).toString('hex'));
    expect(unwrapPseudonymKey(master, JSON.parse(text), 'acme')).toEqual({
      ok: true,
      pseudonymKey: acme,
    });
    // Its own kind of record: it does not open as a subject key of the tenant.
    expect(unwrapSubjectKey(master, JSON.parse(text), { tenant: 'acme', subject: '' }).ok).toBe(
      false,
    );
  });

  it('gives every process of the database the same key', async () => {
    const [a, b] = await Promise.all([
      pseudonymKeys(database.governance, singleKeyRing(master)).keyOf('acme'),
      pseudonymKeys(database.governance, singleKeyRing(master)).keyOf('acme'),
    ]);
    expect(a).toEqual(b);
  });

  it('reads a key stored in the clear by an older declog, and stores it wrapped', async () => {
    const clear = randomBytes(32);
    await database.governance.putTenantSetting(
      'acme',
      PSEUDONYM_KEY_SETTING,
      clear.toString('base64'),
    );
    const keys = pseudonymKeys(database.governance, singleKeyRing(master));
    expect(Buffer.from(await keys.keyOf('acme'))).toEqual(clear);
    const text = (await stored('acme')) ?? '';
    expect(text).not.toContain(clear.toString('base64'));
    expect(Buffer.from(await keys.keyOf('acme'))).toEqual(clear);
  });

  it('refuses to open a key with another master key', async () => {
    await pseudonymKeys(database.governance, singleKeyRing(master)).keyOf('acme');
    await expect(
      pseudonymKeys(database.governance, singleKeyRing(freshKey())).keyOf('acme'),
    ).rejects.toThrow('the pseudonym key of tenant acme does not unwrap');
  });
});
