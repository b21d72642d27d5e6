import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { nearlyBase64 } from '../ledger/fixtures/base64-texts.js';
import { unwrapAsFirstWritten } from './fixtures/as-first-written.js';
import { counterRandom, testMasterKey } from './fixtures/personal-events.js';
import { nearObjects } from './fixtures/schema-inputs.js';
import { generateSubjectKey } from './generate-subject-key.js';
import { rewrapSubjectKey } from './rewrap-subject-key.js';
import { unwrapSubjectKey } from './unwrap-subject-key.js';
import { wrapSubjectKey } from './wrap-subject-key.js';
import { wrappingKeyIds } from './wrapped-key.js';
import { WrappedSubjectKey } from './wrapped-subject-key.js';

const oldMaster = testMasterKey(1);
const newMaster = testMasterKey(100);
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

describe('a subject key wrapped under two master keys (while a rotation runs)', () => {
  it('opens with either key alone, and names both when neither is given', () => {
    const both = wrapSubjectKey([newMaster, oldMaster], subjectKey, context);
    expect(wrappingKeyIds(both)).toEqual([newMaster.id, oldMaster.id]);
    for (const key of [oldMaster, newMaster]) {
      expect(unwrapSubjectKey(key, both, context)).toEqual({ ok: true, subjectKey });
    }
    const neither = unwrapSubjectKey(testMasterKey(200), both, context);
    expect(neither).toMatchObject({ ok: false, code: 'unknown-master-key' });
    expect(!neither.ok && neither.reason).toContain(oldMaster.id);
    expect(unwrapSubjectKey(oldMaster, both, { ...context, subject: 'x' })).toMatchObject({
      code: 'undecryptable',
    });
    expect(unwrapSubjectKey(oldMaster, [], context)).toMatchObject({
      code: 'malformed-wrapped-key',
    });
  });

  it('adds the new wrapping, then drops the old one; each step is a no-op the second time', () => {
    const old = wrapSubjectKey(oldMaster, subjectKey, context);
    const keys = { from: oldMaster, to: [newMaster, oldMaster] };
    const added = rewrapSubjectKey(old, context, keys);
    if (!added.ok) throw new Error(added.reason);
    expect(wrappingKeyIds(added.record)).toEqual([newMaster.id, oldMaster.id]);
    // The old wrapping is kept byte for byte: a server on the old key reads it as before.
    expect((added.record as readonly unknown[])[1]).toBe(old);
    expect(rewrapSubjectKey(added.record, context, keys)).toEqual({
      ok: true,
      record: added.record,
    });

    const dropped = rewrapSubjectKey(added.record, context, { from: [], to: newMaster });
    if (!dropped.ok) throw new Error(dropped.reason);
    expect(dropped.record).toBe((added.record as readonly unknown[])[0]);
    expect(unwrapSubjectKey(oldMaster, dropped.record, context)).toMatchObject({
      code: 'unknown-master-key',
    });
    expect(unwrapSubjectKey(newMaster, dropped.record, context)).toEqual({ ok: true, subjectKey });
  });

  it('replaces a wrapping that names a key of `to` but does not open to the same key', () => {
    const other = wrapSubjectKey(newMaster, generateSubjectKey(counterRandom(90)), context);
    const mixed = [wrapSubjectKey(oldMaster, subjectKey, context), other];
    const fixed = rewrapSubjectKey(mixed, context, { from: oldMaster, to: newMaster });
    if (!fixed.ok) throw new Error(fixed.reason);
    expect(fixed.record).not.toBe(other);
    expect(unwrapSubjectKey(newMaster, fixed.record, context)).toEqual({ ok: true, subjectKey });
  });
});

describe('unwrapSubjectKey against its first implementation', () => {
  const foreignMaster = testMasterKey(200);
  const masters = [oldMaster, newMaster, foreignMaster];
  const otherContext = { tenant: 'acme', subject: 'customer-18' };

  const stored = fc.oneof(
    fc.constant<unknown>(wrapSubjectKey(oldMaster, subjectKey, context)),
    fc.constant<unknown>(wrapSubjectKey([newMaster, oldMaster], subjectKey, context)),
    fc.constant<unknown>(wrapSubjectKey(foreignMaster, subjectKey, otherContext)),
  );
  const wrappingMembers = fc.oneof(
    fc.constantFrom(...masters.map((k) => k.id), '0123456789ABCDEF', 'A256GCM', 'A128GCM'),
    nearlyBase64(10, 34),
    fc.jsonValue(),
  );
  const single = wrapSubjectKey(oldMaster, subjectKey, context) as Record<string, unknown>;
  const nearWrappings = nearObjects(fc.constant(single), wrappingMembers);
  const records = fc.oneof(
    { weight: 3, arbitrary: stored },
    { weight: 3, arbitrary: nearWrappings },
    fc.array(fc.oneof(stored, nearWrappings), { maxLength: 9 }),
  );
  const keyRings = fc
    .subarray(masters)
    .chain((keys) => fc.shuffledSubarray(keys, { minLength: keys.length }));

  it('answers as it did, with every failure code and every reason', () => {
    const codes = new Set<string>();
    fc.assert(
      fc.property(
        records,
        keyRings,
        fc.constantFrom(context, otherContext),
        (record, keys, whose) => {
          const now = unwrapSubjectKey(keys, record, whose);
          const aad = Buffer.from(
            canonicalJson(['declog/subject-key/v1', whose.tenant, whose.subject]),
          );
          const then = unwrapAsFirstWritten(keys, record, {
            aad,
            owner: 'this tenant and subject',
          });
          expect(now).toEqual(then.ok ? { ok: true, subjectKey: then.key } : then);
          codes.add(now.ok ? 'opened' : now.code);
        },
      ),
      { numRuns: 3000 },
    );
    expect([...codes].sort()).toEqual([
      'malformed-wrapped-key',
      'opened',
      'undecryptable',
      'unknown-master-key',
    ]);
  });
});
