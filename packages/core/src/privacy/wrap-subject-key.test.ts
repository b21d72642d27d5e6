import { describe, expect, it } from 'vitest';
import { counterRandom } from './fixtures/personal-events.js';
import { generateSubjectKey } from './generate-subject-key.js';
import { parseMasterKey, type MasterKey } from './master-key.js';
import { rewrapSubjectKey } from './rewrap-subject-key.js';
import { unwrapSubjectKey } from './unwrap-subject-key.js';
import { wrapSubjectKey } from './wrap-subject-key.js';
import { WrappedSubjectKey } from './wrapped-subject-key.js';

function masterKey(fill: number): MasterKey {
  const parsed = parseMasterKey(
    Buffer.from(Uint8Array.from({ length: 32 }, (_, i) => fill + i)).toString('hex'),
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.key;
}

const oldMaster = masterKey(1);
const newMaster = masterKey(100);
const context = { tenant: 'acme', subject: 'customer-17' };
const subjectKey = generateSubjectKey(counterRandom(40));

describe('wrapSubjectKey and unwrapSubjectKey', () => {
  it('round-trip a subject key, and the record names its master key', () => {
    const record = wrapSubjectKey(oldMaster, subjectKey, context);
    expect(WrappedSubjectKey.safeParse(record).success).toBe(true);
    expect(record.master_key_id).toBe(oldMaster.id);
    expect(Buffer.from(record.wrapped_key, 'base64').equals(Buffer.from(subjectKey))).toBe(false);
    expect(unwrapSubjectKey(oldMaster, record, context)).toEqual({ ok: true, subjectKey });
  });

  it('is deterministic given the random source, and fresh otherwise', () => {
    const wrap = () => wrapSubjectKey(oldMaster, subjectKey, context, counterRandom());
    expect(wrap()).toEqual(wrap());
    expect(wrapSubjectKey(oldMaster, subjectKey, context).nonce).not.toBe(
      wrapSubjectKey(oldMaster, subjectKey, context).nonce,
    );
  });

  it('does not unwrap for another tenant or subject, or when a byte changed', () => {
    const record = wrapSubjectKey(oldMaster, subjectKey, context);
    for (const other of [
      { tenant: 'acme', subject: 'customer-18' },
      { tenant: 'other', subject: 'customer-17' },
    ]) {
      expect(unwrapSubjectKey(oldMaster, record, other)).toMatchObject({ code: 'undecryptable' });
    }
    for (const member of ['nonce', 'wrapped_key', 'tag'] as const) {
      const bytes = Buffer.from(record[member], 'base64');
      for (let i = 0; i < bytes.length; i++) {
        const altered = Buffer.from(bytes);
        altered[i] = (altered[i] as number) ^ 0x80;
        const result = unwrapSubjectKey(
          oldMaster,
          { ...record, [member]: altered.toString('base64') },
          context,
        );
        expect({ member, i, ok: result.ok }).toEqual({ member, i, ok: false });
      }
    }
  });

  it('names a missing master key, and refuses a malformed record', () => {
    const record = wrapSubjectKey(oldMaster, subjectKey, context);
    const result = unwrapSubjectKey(newMaster, record, context);
    expect(result).toMatchObject({ ok: false, code: 'unknown-master-key' });
    expect(!result.ok && result.reason).toContain(oldMaster.id);
    // A key with the right id but other bytes cannot exist in practice; test the guard anyway.
    const impostor = { id: oldMaster.id, bytes: newMaster.bytes };
    expect(unwrapSubjectKey(impostor, record, context)).toMatchObject({ code: 'undecryptable' });
    expect(unwrapSubjectKey(oldMaster, { ...record, alg: 'AES-KW' }, context)).toMatchObject({
      code: 'malformed-wrapped-key',
    });
  });
});

describe('rewrapSubjectKey (master key rotation)', () => {
  it('re-wraps under the new master key; the old record still names the old one', () => {
    const old = wrapSubjectKey(oldMaster, subjectKey, context);
    const rotated = rewrapSubjectKey(old, context, { from: oldMaster, to: newMaster });
    if (!rotated.ok) throw new Error(rotated.reason);
    expect(old.master_key_id).toBe(oldMaster.id);
    expect(rotated.record.master_key_id).toBe(newMaster.id);
    expect(unwrapSubjectKey(newMaster, rotated.record, context)).toEqual({ ok: true, subjectKey });
    expect(unwrapSubjectKey(oldMaster, rotated.record, context)).toMatchObject({
      code: 'unknown-master-key',
    });
    // During a rotation both keys are given; each record opens with the one it names.
    for (const record of [old, rotated.record]) {
      expect(unwrapSubjectKey([oldMaster, newMaster], record, context)).toEqual({
        ok: true,
        subjectKey,
      });
    }
  });

  it('leaves a record that the new key wrapped already as it is, so a rotation can resume', () => {
    const current = wrapSubjectKey(newMaster, subjectKey, context);
    expect(rewrapSubjectKey(current, context, { from: oldMaster, to: newMaster })).toEqual({
      ok: true,
      record: current,
    });
  });

  it('fails without the old master key', () => {
    const old = wrapSubjectKey(oldMaster, subjectKey, context);
    expect(rewrapSubjectKey(old, context, { from: [], to: newMaster })).toMatchObject({
      code: 'unknown-master-key',
    });
  });
});
