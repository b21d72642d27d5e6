import { testMasterKey } from './fixtures/personal-events.js';
import { describe, expect, it } from 'vitest';
import type { MasterKey } from './master-key.js';
import { masterKeyRing } from './master-key-ring.js';
import { MasterKeyRotation, startMasterKeyRotation } from './master-key-rotation.js';
import { unwrapMasterKey, wrapMasterKey } from './wrapped-master-key.js';

const oldKey = testMasterKey(1);
const newKey = testMasterKey(100);
const stranger = testMasterKey(200);
const ids = (keys: readonly MasterKey[]) => keys.map((k) => k.id);

describe('startMasterKeyRotation', () => {
  it('records both ids and the old key wrapped by the new one, which alone opens it', () => {
    const rotation = startMasterKeyRotation(oldKey, newKey);
    expect(MasterKeyRotation.safeParse(rotation).success).toBe(true);
    expect(rotation).toMatchObject({ from: oldKey.id, to: newKey.id, stage: 'add-new' });
    expect(unwrapMasterKey(newKey, rotation.old_key, oldKey.id)).toEqual({ ok: true, key: oldKey });
    expect(unwrapMasterKey(oldKey, rotation.old_key, oldKey.id)).toMatchObject({
      code: 'unknown-master-key',
    });
    // The record names which key it holds: it does not open as any other.
    expect(unwrapMasterKey(newKey, rotation.old_key, stranger.id)).toMatchObject({
      code: 'undecryptable',
    });
    expect(() => startMasterKeyRotation(oldKey, oldKey)).toThrow(RangeError);
  });

  it('refuses a record whose old key is not wrapped by the new one', () => {
    const rotation = {
      ...startMasterKeyRotation(oldKey, newKey),
      old_key: wrapMasterKey(stranger, oldKey),
    };
    expect(MasterKeyRotation.safeParse(rotation).success).toBe(false);
  });
});

describe('masterKeyRing', () => {
  const adding = startMasterKeyRotation(oldKey, newKey);
  const dropping = { ...adding, stage: 'drop-old' as const };

  it('without a rotation: the pinned key alone, any other refused', () => {
    const ring = masterKeyRing(oldKey, { pinned: oldKey.id, rotation: null });
    expect(ring.ok && [ids(ring.ring.wrapWith), ids(ring.ring.openWith)]).toEqual([
      [oldKey.id],
      [oldKey.id],
    ]);
    expect(masterKeyRing(newKey, { pinned: oldKey.id, rotation: null })).toMatchObject({
      code: 'foreign-master-key',
    });
  });

  it('while the new key is added: either key; the new one opens both and wraps under both', () => {
    const old = masterKeyRing(oldKey, { pinned: oldKey.id, rotation: adding });
    expect(old.ok && ids(old.ring.openWith)).toEqual([oldKey.id]);
    const fresh = masterKeyRing(newKey, { pinned: oldKey.id, rotation: adding });
    expect(fresh.ok && [ids(fresh.ring.wrapWith), ids(fresh.ring.openWith)]).toEqual([
      [newKey.id, oldKey.id],
      [newKey.id, oldKey.id],
    ]);
    expect(masterKeyRing(stranger, { pinned: oldKey.id, rotation: adding })).toMatchObject({
      code: 'foreign-master-key',
    });
  });

  it('while the old wrappings are dropped: the new key only, which still opens old ones', () => {
    const fresh = masterKeyRing(newKey, { pinned: oldKey.id, rotation: dropping });
    expect(fresh.ok && [ids(fresh.ring.wrapWith), ids(fresh.ring.openWith)]).toEqual([
      [newKey.id],
      [newKey.id, oldKey.id],
    ]);
    const old = masterKeyRing(oldKey, { pinned: newKey.id, rotation: dropping });
    expect(old).toMatchObject({ ok: false, code: 'retired-master-key' });
    expect(!old.ok && old.reason).toContain(newKey.id);
  });
});
