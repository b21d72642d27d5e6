import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TENANT,
  masterKeyRing,
  parseMasterKey,
  singleKeyRing,
  wrappingKeyIds,
  type LogDatabase,
  type MasterKey,
  type MasterKeyRing,
} from '@declog/core';
import { openSqliteDatabase } from '../../store/sqlite/sqlite-database.js';
import { PSEUDONYM_KEY_SETTING, pseudonymKeys } from '../governance/pseudonym-keys.js';
import { readMasterKeyState } from './master-key-state.js';
import { rotateMasterKey, type RotationProgress } from './rotate-master-key.js';
import { subjectKeys } from './subject-keys.js';

const now = () => new Date('2026-11-27T12:00:00Z');

function freshKey(): MasterKey {
  const parsed = parseMasterKey(randomBytes(32).toString('hex'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.key;
}

/** The ring a process given `key` gets now, as openMasterKey decides it. */
async function ringOf(database: LogDatabase, key: MasterKey): Promise<MasterKeyRing> {
  const state = await readMasterKeyState(database.governance);
  const ring = masterKeyRing(key, { pinned: state.pinned ?? '', rotation: state.rotation });
  if (!ring.ok) throw new Error(ring.reason);
  return ring.ring;
}

/** Each subject's key, opened with the ring of `key`; erased ones as null. */
async function opened(database: LogDatabase, key: MasterKey, tenant: string, subjects: string[]) {
  const states = await subjectKeys(
    database.governance,
    await ringOf(database, key),
    now,
  ).existingKeys(tenant, subjects);
  return subjects.map((s) => {
    const state = states.get(s);
    return state?.ok ? Buffer.from(state.key).toString('hex') : null;
  });
}

/** Stops a rotation after `batches` stored batches of `stage`, as a crash would. */
function crashAfter(stage: RotationProgress['stage'], batches: number) {
  let seen = 0;
  return (progress: RotationProgress) => {
    if (progress.stage === stage && (seen += 1) === batches) throw new Error('crash');
  };
}

const SUBJECTS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];

let database: LogDatabase;
let oldKey: MasterKey;
let newKey: MasterKey;
let before: (string | null)[];
let pseudonymBefore: string;

beforeEach(async () => {
  database = openSqliteDatabase(':memory:');
  oldKey = freshKey();
  newKey = freshKey();
  const { governance } = database;
  await governance.putTenantSetting(DEFAULT_TENANT, 'master_key_id', oldKey.id);
  const ring = singleKeyRing(oldKey);
  await subjectKeys(governance, ring, now).keysFor('acme', SUBJECTS);
  await subjectKeys(governance, ring, now).keysFor('beta', ['s1']);
  await governance.eraseSubjectKey('acme', 's3', now().toISOString(), 'dpo');
  before = await opened(database, oldKey, 'acme', SUBJECTS);
  pseudonymBefore = Buffer.from(await pseudonymKeys(governance, ring).keyOf('acme')).toString(
    'hex',
  );
});
afterEach(() => database.close());

describe('rotateMasterKey', () => {
  it('moves every live key of every tenant, skips erased ones, and re-pins the new key', async () => {
    const summary = await rotateMasterKey(
      database.governance,
      { newKey, oldKey: () => oldKey },
      { batchSize: 3 },
    );
    expect(summary).toEqual({
      from: oldKey.id,
      to: newKey.id,
      resumed: false,
      rewrapped: 7,
      already_done: 0,
      erased_skipped: 1,
      pseudonym_keys: 1,
    });
    const state = await readMasterKeyState(database.governance);
    expect(state).toEqual({ pinned: newKey.id, rotation: null, rotationText: null });
    expect(await opened(database, newKey, 'acme', SUBJECTS)).toEqual(before);
    expect(await ringOf(database, oldKey).catch((e: Error) => e.message)).toContain(
      "is not this database's",
    );
    for (const record of (await database.governance.subjectKeyPage(null, 100)).filter(
      (r) => r.wrappedKey !== null,
    )) {
      expect(wrappingKeyIds(JSON.parse(record.wrappedKey as string))).toEqual([newKey.id]);
    }
    const ring = await ringOf(database, newKey);
    expect(Buffer.from(await pseudonymKeys(database.governance, ring).keyOf('acme'))).toEqual(
      Buffer.from(pseudonymBefore, 'hex'),
    );
  });

  it('lets either key read everything while the new key is being added', async () => {
    await expect(
      rotateMasterKey(
        database.governance,
        { newKey, oldKey: () => oldKey },
        { batchSize: 2, onBatch: crashAfter('add-new', 2) },
      ),
    ).rejects.toThrow('crash');
    expect((await readMasterKeyState(database.governance)).rotation?.stage).toBe('add-new');
    for (const key of [oldKey, newKey]) {
      expect(await opened(database, key, 'acme', SUBJECTS)).toEqual(before);
      expect(await opened(database, key, 'beta', ['s1'])).not.toEqual([null]);
    }
    // A key made now, by a process on the new key, opens with the old one too.
    await subjectKeys(database.governance, await ringOf(database, newKey), now).keysFor('acme', [
      's8',
    ]);
    expect((await opened(database, oldKey, 'acme', ['s8']))[0]).not.toBeNull();
  });

  it('refuses the old key once the new one is in force, before the rotation ends', async () => {
    await expect(
      rotateMasterKey(
        database.governance,
        { newKey, oldKey: () => oldKey },
        { batchSize: 2, onBatch: crashAfter('drop-old', 1) },
      ),
    ).rejects.toThrow('crash');
    expect((await readMasterKeyState(database.governance)).rotation?.stage).toBe('drop-old');
    await expect(ringOf(database, oldKey)).rejects.toThrow('rotated out');
    expect(await opened(database, newKey, 'acme', SUBJECTS)).toEqual(before);
  });

  it('finishes an interrupted rotation when run again, without the old key', async () => {
    for (const [stage, batches] of [
      ['add-new', 1],
      ['add-new', 3],
      ['drop-old', 2],
    ] as const) {
      await rotateMasterKey(
        database.governance,
        { newKey, oldKey: () => oldKey },
        { batchSize: 2, onBatch: crashAfter(stage, batches) },
      ).catch(() => undefined);
    }
    const summary = await rotateMasterKey(
      database.governance,
      {
        newKey,
        oldKey: () => {
          throw new Error('the old key is not needed to resume');
        },
      },
      { batchSize: 2 },
    );
    expect(summary).toMatchObject({ resumed: true, rewrapped: 0, erased_skipped: 1 });
    expect(summary.already_done).toBe(7);
    expect(await readMasterKeyState(database.governance)).toMatchObject({
      pinned: newKey.id,
      rotation: null,
    });
    expect(await opened(database, newKey, 'acme', SUBJECTS)).toEqual(before);
  });

  it('counts what an earlier run had done as done, and what it had not as rewrapped', async () => {
    await rotateMasterKey(
      database.governance,
      { newKey, oldKey: () => oldKey },
      { batchSize: 2, onBatch: crashAfter('add-new', 2) },
    ).catch(() => undefined);
    const summary = await rotateMasterKey(
      database.governance,
      { newKey, oldKey: () => oldKey },
      { batchSize: 2 },
    );
    // The first two batches held s1, s2 (acme) and s3 (erased), s4.
    expect(summary).toMatchObject({ resumed: true, already_done: 3, rewrapped: 4 });
  });

  it('leaves a subject erased during the rotation erased', async () => {
    await rotateMasterKey(
      database.governance,
      { newKey, oldKey: () => oldKey },
      { batchSize: 2, onBatch: crashAfter('add-new', 1) },
    ).catch(() => undefined);
    await database.governance.eraseSubjectKey('acme', 's6', now().toISOString(), 'dpo');
    const summary = await rotateMasterKey(
      database.governance,
      { newKey, oldKey: () => oldKey },
      { batchSize: 2 },
    );
    expect(summary.erased_skipped).toBe(2);
    expect((await database.governance.subjectKey('acme', 's6'))?.wrappedKey).toBeNull();
  });

  it('refuses another old key, a rotation to a third key while one is unfinished, and a no-op', async () => {
    await expect(
      rotateMasterKey(database.governance, { newKey, oldKey: () => freshKey() }),
    ).rejects.toThrow("is not this database's");
    await expect(
      rotateMasterKey(database.governance, { newKey: oldKey, oldKey: () => oldKey }),
    ).rejects.toThrow("is this database's key already");
    await rotateMasterKey(
      database.governance,
      { newKey, oldKey: () => oldKey },
      { batchSize: 2, onBatch: crashAfter('add-new', 1) },
    ).catch(() => undefined);
    await expect(
      rotateMasterKey(database.governance, { newKey: freshKey(), oldKey: () => oldKey }),
    ).rejects.toThrow(`to ${newKey.id} is unfinished`);
  });

  it('wraps a pseudonym key that an older declog stored in the clear', async () => {
    const clear = randomBytes(32);
    await database.governance.putTenantSetting(
      'legacy',
      PSEUDONYM_KEY_SETTING,
      clear.toString('base64'),
    );
    const summary = await rotateMasterKey(database.governance, { newKey, oldKey: () => oldKey });
    expect(summary.pseudonym_keys).toBe(2);
    const stored = await database.governance.tenantSetting('legacy', PSEUDONYM_KEY_SETTING);
    expect(wrappingKeyIds(JSON.parse(stored ?? ''))).toEqual([newKey.id]);
    const ring = await ringOf(database, newKey);
    expect(Buffer.from(await pseudonymKeys(database.governance, ring).keyOf('legacy'))).toEqual(
      clear,
    );
  });
});
