import { describe, expect, it } from 'vitest';
import { counterRandom, testMasterKey } from './fixtures/personal-events.js';
import { unwrapSubjectKey } from './unwrap-subject-key.js';
import { wrappingKeyIds } from './wrapped-key.js';
import {
  rewrapPseudonymKey,
  unwrapPseudonymKey,
  wrapPseudonymKey,
} from './wrapped-pseudonym-key.js';

const oldMaster = testMasterKey(1);
const newMaster = testMasterKey(100);
const pseudonymKey = counterRandom(7)(32);

describe('wrapped pseudonym keys', () => {
  it('round-trip per tenant, and never open as another tenant’s', () => {
    const record = wrapPseudonymKey(oldMaster, pseudonymKey, 'acme');
    expect(unwrapPseudonymKey(oldMaster, record, 'acme')).toEqual({ ok: true, pseudonymKey });
    expect(unwrapPseudonymKey(oldMaster, record, 'beta')).toMatchObject({
      code: 'undecryptable',
    });
  });

  it('can never be taken for a subject key, whatever the subject is called', () => {
    const record = wrapPseudonymKey(oldMaster, pseudonymKey, 'acme');
    for (const subject of ['', 'acme', 'declog/pseudonym-key/v1']) {
      expect(unwrapSubjectKey(oldMaster, record, { tenant: 'acme', subject })).toMatchObject({
        code: 'undecryptable',
      });
    }
  });

  it('moves to a new master key as subject keys do', () => {
    const record = wrapPseudonymKey(oldMaster, pseudonymKey, 'acme');
    const both = rewrapPseudonymKey(record, 'acme', {
      from: oldMaster,
      to: [newMaster, oldMaster],
    });
    if (!both.ok) throw new Error(both.reason);
    expect(wrappingKeyIds(both.record)).toEqual([newMaster.id, oldMaster.id]);
    const moved = rewrapPseudonymKey(both.record, 'acme', { from: [], to: newMaster });
    if (!moved.ok) throw new Error(moved.reason);
    expect(wrappingKeyIds(moved.record)).toEqual([newMaster.id]);
    expect(unwrapPseudonymKey(newMaster, moved.record, 'acme')).toEqual({
      ok: true,
      pseudonymKey,
    });
  });
});
