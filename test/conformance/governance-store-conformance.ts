import { describe, expect, it } from 'vitest';
import { unpackSealedRecord, type ApiKeyRecord, type LogDatabase } from '@declog/core';
import { decision } from './event-store-conformance.js';

const AT = '2026-11-27T10:00:00.000Z';
/** A sealed record's text as sealing writes it: a store may keep it packed. */
const RECORD = JSON.stringify({
  alg: 'A256GCM',
  nonce: 'AAECAwQFBgcICQoL',
  ciphertext: 'Y2lwaGVy',
  tag: 'AAECAwQFBgcICQoLDA0ODw==',
});

function key(id: string, fields: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    name: `${id}-name`,
    role: 'reviewer',
    tenant: 'acme',
    secretHash: new Uint8Array(32).fill(id.length),
    createdAt: AT,
    revokedAt: null,
    ...fields,
  };
}

/**
 * What every LogDatabase adapter must do beyond one log's EventStore: keep several logs
 * apart, and keep tenants, API keys and tenant settings. `openEmpty` gives a fresh database.
 */
export function describeLogDatabase(name: string, openEmpty: () => Promise<LogDatabase>): void {
  describe(`LogDatabase conformance: ${name}`, () => {
    const withDatabase = (test: (database: LogDatabase) => Promise<void>) => async () => {
      const database = await openEmpty();
      try {
        await test(database);
      } finally {
        await database.close();
      }
    };

    describe('sealing keys checked and stored by the append', () => {
      const sealed = (id: string, subject: string) => ({
        ...decision(id, { subject }),
        personal: { subject, sealed: RECORD },
      });

      it(
        'stores the keys made for a batch in its transaction, and accepts them again after',
        withDatabase(async (database) => {
          await database.governance.addTenant({ name: 'acme', createdAt: AT });
          const log = await database.log('acme');
          const epoch = await database.governance.erasureEpoch('acme');
          const created = [{ subject: 's1', wrappedKey: 'wrapped-s1' }];
          const first = await log.append([sealed('d1', 's1')], AT, {
            sealing: { epoch, created },
          });
          expect(first.ok).toBe(true);
          expect((await database.governance.subjectKey('acme', 's1'))?.wrappedKey).toBe(
            'wrapped-s1',
          );
          // A later batch sealed under the same new key (made once by this writer) is fine.
          const second = await log.append([sealed('d2', 's1')], AT, {
            sealing: { epoch, created },
          });
          expect(second.ok).toBe(true);
        }),
      );

      it(
        'refuses, storing nothing, a batch sealed under keys read before an erasure',
        withDatabase(async (database) => {
          await database.governance.addTenant({ name: 'acme', createdAt: AT });
          const log = await database.log('acme');
          const epoch = await database.governance.erasureEpoch('acme');
          await database.governance.eraseSubjectKey('acme', 'someone', AT, 'dpo');
          expect(await database.governance.erasureEpoch('acme')).toBe(epoch + 1);
          const result = await log.append([sealed('d1', 's1')], AT, {
            sealing: { epoch, created: [{ subject: 's1', wrappedKey: 'wrapped-s1' }] },
          });
          expect(result).toEqual({ ok: false, staleKeys: true });
          expect(await log.size()).toBe(0);
          expect(await database.governance.subjectKey('acme', 's1')).toBeNull();
        }),
      );

      it(
        'refuses a batch sealed under a new key when another writer stored another first',
        withDatabase(async (database) => {
          await database.governance.addTenant({ name: 'acme', createdAt: AT });
          const log = await database.log('acme');
          await database.governance.initSubjectKey('acme', 's1', 'theirs', AT);
          const epoch = await database.governance.erasureEpoch('acme');
          const result = await log.append([sealed('d1', 's1')], AT, {
            sealing: { epoch, created: [{ subject: 's1', wrappedKey: 'ours' }] },
          });
          expect(result).toEqual({ ok: false, staleKeys: true });
          expect(await log.size()).toBe(0);
          expect((await database.governance.subjectKey('acme', 's1'))?.wrappedKey).toBe('theirs');
        }),
      );
    });

    it(
      'keeps logs apart: seqs, ids, tree nodes, checkpoints and settings are per log',
      withDatabase(async (database) => {
        const a = await database.log('a');
        const b = await database.log('b/access');
        expect(await database.hasLog('a')).toBe(true);
        expect(await database.hasLog('c')).toBe(false);
        await a.append([decision('x'), decision('y')], AT);
        const onB = await b.append([decision('y')], AT);
        expect(onB.ok && onB.items[0]).toEqual({ id: 'y', seq: 0, status: 'created' });
        expect(await a.size()).toBe(2);
        expect(await b.size()).toBe(1);
        expect(await b.eventById('x')).toBeNull();
        const [leafA] = await a.merkleNodes([{ level: 0, index: 1 }]);
        const [leafB] = await b.merkleNodes([{ level: 0, index: 0 }]);
        expect(Buffer.from(leafA ?? []).equals(Buffer.from(leafB ?? []))).toBe(false);
        await a.initSetting('origin', 'example.com/a');
        expect(await b.setting('origin')).toBeNull();
        await a.addCheckpoint({ size: 2, rootHash: new Uint8Array(32), note: 'n', issuedAt: AT });
        expect(await b.latestCheckpoint()).toBeNull();
        expect(await database.log('a')).toBe(a);
      }),
    );

    it(
      'creates each tenant once and lists them by name',
      withDatabase(async ({ governance }) => {
        expect(await governance.addTenant({ name: 'zeta', createdAt: AT })).toBe(true);
        expect(await governance.addTenant({ name: 'acme', createdAt: AT })).toBe(true);
        expect(
          await governance.addTenant({ name: 'acme', createdAt: '2030-01-01T00:00:00Z' }),
        ).toBe(false);
        expect(await governance.tenant('acme')).toEqual({ name: 'acme', createdAt: AT });
        expect(await governance.tenant('nobody')).toBeNull();
        expect((await governance.tenants()).map((t) => t.name)).toEqual(['acme', 'zeta']);
      }),
    );

    it(
      'keeps keys by id with their hash, lists them in creation order per tenant, revokes once',
      withDatabase(async ({ governance }) => {
        await governance.addKey(key('k2'));
        await governance.addKey(key('k1', { tenant: 'other', role: 'producer' }));
        await governance.addKey(key('k3', { tenant: null, role: 'admin' }));
        await expect(governance.addKey(key('k2', { name: 'another' }))).rejects.toThrow();
        expect(await governance.keyById('k1')).toEqual(
          key('k1', { tenant: 'other', role: 'producer' }),
        );
        expect(await governance.keyById('nope')).toBeNull();
        expect((await governance.keys()).map((k) => k.id)).toEqual(['k2', 'k1', 'k3']);
        expect((await governance.keys('acme')).map((k) => k.id)).toEqual(['k2']);
        expect(await governance.revokeKey('k2', AT)).toBe(true);
        expect(await governance.revokeKey('k2', '2030-01-01T00:00:00Z')).toBe(false);
        expect(await governance.revokeKey('nope', AT)).toBe(false);
        expect((await governance.keyById('k2'))?.revokedAt).toBe(AT);
      }),
    );

    it(
      'refuses a live name acting in the tenant already, naming its key; a revoked one frees it',
      withDatabase(async ({ governance }) => {
        expect(await governance.addKey(key('k1', { name: 'rev1' }))).toEqual({ added: true });
        expect(await governance.addKey(key('k2', { name: 'rev1' }))).toEqual({
          added: false,
          nameTakenBy: 'k1',
        });
        // Another tenant's principals are others; a key of all tenants acts in every one.
        expect(await governance.addKey(key('k3', { name: 'rev1', tenant: 'other' }))).toEqual({
          added: true,
        });
        expect(await governance.addKey(key('k4', { name: 'rev1', tenant: null }))).toEqual({
          added: false,
          nameTakenBy: 'k1',
        });
        expect(await governance.addKey(key('k5', { name: 'root', tenant: null }))).toEqual({
          added: true,
        });
        expect(await governance.addKey(key('k6', { name: 'root', tenant: 'zeta' }))).toEqual({
          added: false,
          nameTakenBy: 'k5',
        });
        expect(await governance.keyById('k2')).toBeNull();
        await governance.revokeKey('k1', AT);
        expect(await governance.addKey(key('k7', { name: 'rev1' }))).toEqual({ added: true });
      }),
    );

    it(
      "keeps access entries' details per tenant, and deletes them by subject or by age",
      withDatabase(async ({ governance }) => {
        const detail = (
          entryId: string,
          recordedAt: string,
          subjects: string[],
          tenant = 'acme',
        ) => ({
          tenant,
          entryId,
          recordedAt,
          details: `{"values":"${entryId}"}`,
          subjects,
        });
        await governance.putAccessDetails([
          detail('e1', '2026-01-01T00:00:00.000Z', ['s1', 's2', 's1']),
          detail('e2', '2026-02-01T00:00:00.000Z', ['s1']),
          detail('e3', '2026-03-01T00:00:00.000Z', []),
          detail('e1', '2026-01-01T00:00:00.000Z', ['s1'], 'other'),
        ]);
        await governance.putAccessDetails([]);
        const read = async (tenant: string) =>
          [...(await governance.accessDetails(tenant, ['e1', 'e2', 'e3', 'nope'])).keys()].sort();
        expect(await read('acme')).toEqual(['e1', 'e2', 'e3']);
        expect((await governance.accessDetails('acme', ['e2'])).get('e2')).toBe('{"values":"e2"}');
        expect(await governance.deleteAccessDetails('acme', { subject: 's1' })).toBe(2);
        expect(await read('acme')).toEqual(['e3']);
        expect(await read('other')).toEqual(['e1']);
        expect(await governance.deleteAccessDetails('acme', { subject: 's2' })).toBe(0);
        expect(
          await governance.deleteAccessDetails('acme', { before: '2026-03-01T00:00:00.000Z' }),
        ).toBe(0);
        expect(
          await governance.deleteAccessDetails('acme', { before: '2026-03-01T00:00:00.001Z' }),
        ).toBe(1);
        expect(await read('acme')).toEqual([]);
        expect(await read('other')).toEqual(['e1']);
      }),
    );

    it(
      'replaces a key of the same id with putKey (the bootstrap admin key)',
      withDatabase(async ({ governance }) => {
        await governance.putKey(key('admin', { role: 'admin', tenant: null }));
        const replaced = key('admin', {
          role: 'admin',
          tenant: null,
          secretHash: new Uint8Array(32).fill(9),
        });
        await governance.putKey(replaced);
        expect(await governance.keyById('admin')).toEqual(replaced);
        expect(await governance.keys()).toHaveLength(1);
      }),
    );

    it(
      'keeps tenant settings per tenant; init keeps the first value',
      withDatabase(async ({ governance }) => {
        expect(await governance.tenantSetting('acme', 'masking')).toBeNull();
        await governance.putTenantSetting('acme', 'masking', '{"rules":[]}');
        await governance.putTenantSetting('acme', 'masking', '{"rules":[1]}');
        expect(await governance.tenantSetting('acme', 'masking')).toBe('{"rules":[1]}');
        expect(await governance.tenantSetting('other', 'masking')).toBeNull();
        expect(await governance.initTenantSetting('acme', 'secret', 'first')).toBe('first');
        expect(await governance.initTenantSetting('acme', 'secret', 'second')).toBe('first');
      }),
    );

    it(
      'compares and sets tenant settings, and lists one setting of every tenant',
      withDatabase(async ({ governance }) => {
        expect(await governance.replaceTenantSetting('acme', 'k', null, 'one')).toBe(true);
        expect(await governance.replaceTenantSetting('acme', 'k', null, 'other')).toBe(false);
        expect(await governance.replaceTenantSetting('acme', 'k', 'stale', 'two')).toBe(false);
        expect(await governance.replaceTenantSetting('acme', 'k', 'one', 'two')).toBe(true);
        expect(await governance.tenantSetting('acme', 'k')).toBe('two');
        await governance.putTenantSetting('zeta', 'k', 'z');
        await governance.putTenantSetting('beta', 'k', 'b');
        await governance.putTenantSetting('beta', 'other', 'x');
        expect([...(await governance.settingOfEveryTenant('k'))]).toEqual([
          ['acme', 'two'],
          ['beta', 'b'],
          ['zeta', 'z'],
        ]);
        expect(await governance.replaceTenantSetting('acme', 'k', 'one', null)).toBe(false);
        expect(await governance.replaceTenantSetting('acme', 'k', 'two', null)).toBe(true);
        expect(await governance.tenantSetting('acme', 'k')).toBeNull();
        expect(await governance.replaceTenantSetting('acme', 'k', null, null)).toBe(true);
        expect(await governance.replaceTenantSetting('beta', 'k', null, null)).toBe(false);
        expect(await governance.settingOfEveryTenant('none')).toEqual(new Map());
      }),
    );

    it(
      'pages through every tenant’s subject keys in order, erased ones included',
      withDatabase(async ({ governance }) => {
        const subjects = ['s-3', 's-1', 's-10', 's-2'];
        for (const tenant of ['beta', 'acme']) {
          await governance.initSubjectKeys(
            tenant,
            subjects.map((subject) => ({ subject, wrappedKey: `{"${tenant}":"${subject}"}` })),
            AT,
          );
        }
        await governance.eraseSubjectKey('acme', 's-2', AT, 'dpo');
        const walked: string[] = [];
        let after: { tenant: string; subject: string } | null = null;
        for (;;) {
          const page = await governance.subjectKeyPage(after, 3);
          expect(page.length).toBeLessThanOrEqual(3);
          if (page.length === 0) break;
          walked.push(...page.map((r) => `${r.tenant}/${r.subject}/${r.wrappedKey !== null}`));
          const last = page[page.length - 1] as { tenant: string; subject: string };
          after = { tenant: last.tenant, subject: last.subject };
        }
        const sorted = [...subjects].sort();
        expect(walked).toEqual([
          ...sorted.map((s) => `acme/${s}/${s !== 's-2'}`),
          ...sorted.map((s) => `beta/${s}/true`),
        ]);
      }),
    );

    it(
      'replaces wrapped keys only where they still hold the expected text, erased ones never',
      withDatabase(async ({ governance }) => {
        await governance.initSubjectKeys(
          'acme',
          ['a', 'b', 'c'].map((subject) => ({ subject, wrappedKey: `{"old":"${subject}"}` })),
          AT,
        );
        await governance.eraseSubjectKey('acme', 'c', AT, 'dpo');
        const replaced = await governance.replaceWrappedKeys([
          { tenant: 'acme', subject: 'a', expected: '{"old":"a"}', wrappedKey: '{"new":"a"}' },
          { tenant: 'acme', subject: 'b', expected: '{"stale":"b"}', wrappedKey: '{"new":"b"}' },
          { tenant: 'acme', subject: 'c', expected: '{"old":"c"}', wrappedKey: '{"new":"c"}' },
          { tenant: 'acme', subject: 'nobody', expected: '{}', wrappedKey: '{"new":"x"}' },
          { tenant: 'other', subject: 'a', expected: '{"old":"a"}', wrappedKey: '{"new":"a"}' },
        ]);
        expect(replaced).toEqual([true, false, false, false, false]);
        const found = await governance.subjectKeys('acme', ['a', 'b', 'c', 'nobody']);
        expect([...found].map(([subject, r]) => [subject, r.wrappedKey]).sort()).toEqual([
          ['a', '{"new":"a"}'],
          ['b', '{"old":"b"}'],
          ['c', null],
        ]);
        expect(await governance.subjectKey('other', 'a')).toBeNull();
        expect(await governance.replaceWrappedKeys([])).toEqual([]);
      }),
    );

    it(
      'keeps subject keys first-writer-wins, in batches too, and erases them to a tombstone',
      withDatabase(async ({ governance }) => {
        const first = await governance.initSubjectKey('acme', 's-1', '{"k":1}', AT);
        expect(first).toMatchObject({ subject: 's-1', wrappedKey: '{"k":1}', erasedAt: null });
        const batch = await governance.initSubjectKeys(
          'acme',
          [
            { subject: 's-1', wrappedKey: '{"k":"other"}' },
            { subject: 's-2', wrappedKey: '{"k":2}' },
          ],
          AT,
        );
        expect(batch.get('s-1')?.wrappedKey).toBe('{"k":1}');
        expect(batch.get('s-2')?.wrappedKey).toBe('{"k":2}');
        // The records given back are the stored ones, whether just written or found.
        expect(batch).toEqual(await governance.subjectKeys('acme', ['s-1', 's-2']));
        const found = await governance.subjectKeys('acme', ['s-1', 's-2', 's-3']);
        expect([...found.keys()].sort()).toEqual(['s-1', 's-2']);
        expect(await governance.subjectKeys('other', ['s-1'])).toEqual(new Map());

        expect(await governance.eraseSubjectKey('acme', 's-1', AT, 'dpo')).toBe(true);
        expect(await governance.eraseSubjectKey('acme', 's-1', '2030-01-01T00:00:00Z', 'x')).toBe(
          false,
        );
        expect(await governance.subjectKey('acme', 's-1')).toMatchObject({
          wrappedKey: null,
          erasedAt: AT,
          erasedBy: 'dpo',
        });
        // A subject never seen gets a tombstone: its later events are erased on arrival.
        expect(await governance.eraseSubjectKey('acme', 's-9', AT, 'dpo')).toBe(false);
        expect((await governance.subjectKey('acme', 's-9'))?.erasedAt).toBe(AT);
        const again = await governance.initSubjectKey('acme', 's-9', '{"k":9}', AT);
        expect(again.wrappedKey).toBeNull();
      }),
    );

    it(
      'keeps sealed personal data beside a log, per log, and shreds it by subject or id',
      withDatabase(async (database) => {
        const log = await database.log('acme');
        const other = await database.log('beta');
        const sealedDecision = (id: string, subject: string) => ({
          ...decision(id, { subject }),
          personal: { subject, sealed: `{"sealed":"${id}"}` },
        });
        await log.append(
          [sealedDecision('p1', 's-1'), sealedDecision('p2', 's-1'), sealedDecision('p3', 's-2')],
          AT,
        );
        await other.append([sealedDecision('p1', 's-1')], AT);
        const found = await log.personalData(['p1', 'p3', 'nope']);
        expect(found.get('p1')).toEqual({
          subject: 's-1',
          sealed: '{"sealed":"p1"}',
          shreddedAt: null,
          shreddedBy: null,
        });
        expect(found.has('nope')).toBe(false);
        // A record a store may keep packed comes back packed or as text: the same record.
        await log.append(
          [{ ...decision('p4', { subject: 's-2' }), personal: { subject: 's-2', sealed: RECORD } }],
          AT,
        );
        const p4 = (await log.personalData(['p4'])).get('p4')?.sealed ?? null;
        if (p4 === null) return expect.fail('p4 has a sealed record');
        expect(typeof p4 === 'string' ? p4 : unpackSealedRecord(p4)).toBe(RECORD);
        expect(await log.shredPersonalData({ subject: 's-1' }, AT, 'dpo')).toBe(2);
        expect(await log.shredPersonalData({ subject: 's-1' }, AT, 'dpo')).toBe(0);
        expect((await log.personalData(['p1'])).get('p1')).toEqual({
          subject: 's-1',
          sealed: null,
          shreddedAt: AT,
          shreddedBy: 'dpo',
        });
        expect(await log.shredPersonalData({ ids: ['p3'] }, AT, 'retention')).toBe(1);
        expect((await other.personalData(['p1'])).get('p1')?.sealed).toBe('{"sealed":"p1"}');
        // A duplicate of a stored event stores no second record.
        const again = await log.append([sealedDecision('p1', 's-1')], AT);
        expect(again.ok && again.items[0]?.status).toBe('duplicate');
        // Records are a decision's, under the subject it names: others are refused.
        const astray = {
          ...decision('p9', { subject: 's-1' }),
          personal: { subject: 's-2', sealed: '{}' },
        };
        await expect(log.append([astray], AT)).rejects.toThrow(/naming their subject/);
        expect(await log.eventById('p9')).toBeNull();
      }),
    );
  });
}
