import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { encodeBase64 } from '../ledger/_base64.js';
import { aesGcmSeal } from './_aes-gcm.js';
import { personalAad } from './_commitment.js';
import {
  ALL_DECISION_FIELDS,
  KEY_A,
  KEY_B,
  LOAN,
  counterRandom,
} from './fixtures/personal-events.js';
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
