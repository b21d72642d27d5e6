import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { encodeBase64 } from '../ledger/_base64.js';
import { nearlyBase64 } from '../ledger/fixtures/base64-texts.js';
import { aesGcmSeal } from './_aes-gcm.js';
import { personalAad } from './_commitment.js';
import { openAsFirstWritten } from './fixtures/as-first-written.js';
import {
  ALL_DECISION_FIELDS,
  KEY_A,
  KEY_B,
  LOAN,
  counterRandom,
  personalDecisions,
} from './fixtures/personal-events.js';
import { nearObjects } from './fixtures/schema-inputs.js';
import { openPersonalData } from './open-personal-data.js';
import { sealPersonalData } from './seal-personal-data.js';
import type { SealedPersonalData } from './sealed-personal-data.js';

const { event, sealed } = sealPersonalData(LOAN, {
  pointers: ALL_DECISION_FIELDS,
  subjectKey: KEY_A,
  random: counterRandom(),
});
const record = sealed as SealedPersonalData;

/** The record with one bit of byte `index` of its binary member `member` flipped. */
function flipped(member: 'nonce' | 'ciphertext' | 'tag', index: number): SealedPersonalData {
  const bytes = Buffer.from(record[member], 'base64');
  bytes[index] = (bytes[index] as number) ^ 0x01;
  return { ...record, [member]: bytes.toString('base64') };
}

describe('openPersonalData', () => {
  it('opens what sealPersonalData sealed, with the right key', () => {
    const opened = openPersonalData(event, record, KEY_A);
    expect(opened.ok && opened.values).toEqual({
      '/cohort': LOAN.cohort,
      '/input/features': LOAN.input?.features,
      '/rationale/reasons/0/detail': 'salary at Acme Ltd',
      '/rationale/summary': LOAN.rationale.summary,
    });
  });

  it('fails with the wrong key', () => {
    expect(openPersonalData(event, record, KEY_B)).toMatchObject({
      ok: false,
      code: 'undecryptable',
    });
  });

  it('fails when any byte of the nonce, the ciphertext or the tag is flipped', () => {
    for (const member of ['nonce', 'ciphertext', 'tag'] as const) {
      const length = Buffer.from(record[member], 'base64').length;
      expect(length).toBeGreaterThan(0);
      for (let i = 0; i < length; i++) {
        const result = openPersonalData(event, flipped(member, i), KEY_A);
        expect({ member, i, code: result.ok ? 'opened' : result.code }).toEqual({
          member,
          i,
          code: 'undecryptable',
        });
      }
    }
  });

  it('fails for a record swapped in from another event of the same subject', () => {
    const other = sealPersonalData(
      { ...LOAN, id: 'dec-2' },
      { pointers: ALL_DECISION_FIELDS, subjectKey: KEY_A },
    );
    expect(openPersonalData(event, other.sealed, KEY_A)).toMatchObject({ code: 'undecryptable' });
    expect(openPersonalData(other.event, record, KEY_A)).toMatchObject({ code: 'undecryptable' });
    // Same values, same key, only the id differs: the id alone is what binds them.
    const sameSalt = sealPersonalData(
      { ...LOAN, id: 'dec-3' },
      { pointers: ALL_DECISION_FIELDS, subjectKey: KEY_A, random: counterRandom() },
    );
    expect(sameSalt.event.personal).toEqual(event.personal);
    expect(openPersonalData(event, sameSalt.sealed, KEY_A)).toMatchObject({
      code: 'undecryptable',
    });
  });

  it('fails when the leaf commitment was altered', () => {
    const personal = event.personal as { fields: string[]; commitment: string };
    const altered = {
      ...event,
      personal: { ...personal, commitment: encodeBase64(new Uint8Array(32)) },
    };
    expect(openPersonalData(altered, record, KEY_A)).toMatchObject({ code: 'undecryptable' });
  });

  it('reports a record whose values do not match the commitment it is bound to', () => {
    // Only a holder of the subject key can make one: it encrypts other values under the
    // authenticated data of the real commitment.
    const commitment = event.personal?.commitment ?? '';
    const nonce = new Uint8Array(12);
    const plaintext = canonicalJson({
      salt: encodeBase64(new Uint8Array(32)),
      values: { '/cohort': { sex: 'M' } },
    });
    const forged = aesGcmSeal(
      KEY_A,
      nonce,
      Buffer.from(plaintext),
      personalAad(event.id, commitment),
    );
    const result = openPersonalData(
      event,
      {
        alg: 'A256GCM',
        nonce: encodeBase64(nonce),
        ciphertext: encodeBase64(forged.ciphertext),
        tag: encodeBase64(forged.tag),
      },
      KEY_A,
    );
    expect(result).toMatchObject({ ok: false, code: 'commitment-mismatch' });
  });

  it('reports an event without a personal member and a malformed record', () => {
    expect(openPersonalData(LOAN, record, KEY_A)).toMatchObject({ code: 'not-sealed' });
    expect(openPersonalData(event, { ...record, tag: 'AAAA' }, KEY_A)).toMatchObject({
      code: 'malformed-sealed-data',
    });
    expect(openPersonalData(event, { ...record, alg: 'A128GCM' }, KEY_A)).toMatchObject({
      code: 'malformed-sealed-data',
    });
    expect(openPersonalData(event, null, KEY_A)).toMatchObject({ code: 'malformed-sealed-data' });
  });
});

describe('openPersonalData against its first implementation', () => {
  /** What a call returned, or the error it threw, for comparing two implementations. */
  function attempt(open: () => unknown): unknown {
    try {
      return open();
    } catch (error) {
      return { threw: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }

  const sealedDecisions = fc
    .tuple(personalDecisions, fc.subarray([...ALL_DECISION_FIELDS], { minLength: 1 }))
    .map(([{ event: decision }, pointers]) =>
      sealPersonalData(decision, { pointers, subjectKey: KEY_A }),
    )
    .filter((sealing) => sealing.sealed !== null);

  /** A record that decrypts to `plaintext` under KEY_A for `event`. */
  function forged(event: { id: string; personal?: unknown }, plaintext: Uint8Array): unknown {
    const commitment = (event.personal as { commitment?: unknown } | undefined)?.commitment;
    const aad = Buffer.from(canonicalJson(['declog/personal/v1', event.id, String(commitment)]));
    const nonce = new Uint8Array(12).fill(7);
    const { ciphertext, tag } = aesGcmSeal(KEY_A, nonce, plaintext, aad);
    return {
      alg: 'A256GCM',
      nonce: encodeBase64(nonce),
      ciphertext: encodeBase64(ciphertext),
      tag: encodeBase64(tag),
    };
  }

  /** Plaintexts as a sealer might have written them, right and wrong, for the opened values. */
  function plaintexts(salt: string, values: Record<string, unknown>): fc.Arbitrary<Uint8Array> {
    const [first] = Object.keys(values);
    const text = (value: unknown) => Buffer.from(JSON.stringify(value));
    return fc.oneof(
      fc.constant(Buffer.from(canonicalJson({ salt, values }))),
      fc.constant(Buffer.from(JSON.stringify({ values, salt }, null, 1))),
      fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text({ salt, values })])),
      fc.jsonValue().map((other) => text({ salt, values: { ...values, [String(first)]: other } })),
      fc.constant(text({ salt, values: { ...values, '/labels': {} } })),
      fc.constant(text({ salt, values: {} })),
      nearlyBase64(30, 34).map((otherSalt) => text({ salt: otherSalt, values })),
      fc.constantFrom<unknown>(null, [], 'values', 3).map((v) => text({ salt, values: v })),
      fc.constant(text({ values })),
      fc.constant(text([salt, values])),
      fc.constant(Buffer.from(`{"salt":"${salt}","values":{"${first}":"\\ud800"}}`)),
      fc.constant(Buffer.from(`{"salt":"${salt}","values":{},"values":${canonicalJson(values)}}`)),
      fc.constantFrom('', 'not json', '{"salt":').map((t) => Buffer.from(t)),
      fc.uint8Array({ maxLength: 40 }),
      fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })).map(([at, byte]) => {
        const bytes = Buffer.from(canonicalJson({ salt, values }));
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
    );
  }

  const cases = sealedDecisions.chain(({ event, sealed }) => {
    const opened = openPersonalData(event, sealed, KEY_A);
    if (!opened.ok) throw new Error(opened.reason);
    const personal = event.personal as { fields: string[]; commitment: string };
    const events = fc.oneof(
      { weight: 6, arbitrary: fc.constant<{ id: string; personal?: unknown }>(event) },
      fc.constant({ ...event, id: `${event.id}x` }),
      fc.constant({ id: event.id }),
      fc.constant({ ...event, personal: { ...personal, fields: [...personal.fields].reverse() } }),
      nearObjects(fc.constant(personal), fc.oneof(nearlyBase64(30, 34), fc.jsonValue())).map(
        (p) => ({ ...event, personal: p }),
      ),
    );
    const records = fc.oneof(
      { weight: 4, arbitrary: fc.constant<unknown>(sealed) },
      nearObjects(
        fc.constant(sealed as unknown as Record<string, unknown>),
        fc.oneof(nearlyBase64(10, 18), nearlyBase64(), fc.constant('A128GCM'), fc.jsonValue()),
      ),
      {
        weight: 4,
        arbitrary: plaintexts(opened.salt, opened.values).map((p) => forged(event, p)),
      },
    );
    const keys = fc.constantFrom(KEY_A, KEY_A, KEY_A, KEY_B, new Uint8Array(31));
    return fc.tuple(events, records, keys);
  });

  it('answers as it did, with every failure code and every reason, for any event, record and key', () => {
    const codes = new Set<string>();
    fc.assert(
      fc.property(cases, ([event, sealed, key]) => {
        const now = attempt(() => openPersonalData(event, sealed, key));
        expect(now).toEqual(attempt(() => openAsFirstWritten(event, sealed, key)));
        codes.add(
          (now as { ok?: boolean; code?: string }).ok === true
            ? 'opened'
            : ((now as { code?: string }).code ?? 'threw'),
        );
      }),
      { numRuns: 3000 },
    );
    // The comparison above reached every outcome.
    expect([...codes].sort()).toEqual([
      'commitment-mismatch',
      'malformed-sealed-data',
      'not-sealed',
      'opened',
      'threw',
      'undecryptable',
    ]);
  });
});
