import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { encodeBase64 } from '../ledger/_base64.js';
import { aesGcmSeal } from './_aes-gcm.js';
import { commitmentOf, personalAad } from './_commitment.js';
import {
  ALL_DECISION_FIELDS,
  KEY_A,
  KEY_B,
  LOAN,
  NOTE,
  personalDecisions,
} from './fixtures/personal-events.js';
import { openPersonalData } from './open-personal-data.js';
import { openedView } from './opened-view.js';
import { restorePersonalData } from './restore-personal-data.js';
import { sealPersonalData } from './seal-personal-data.js';

describe('openedView', () => {
  it('is the submitted event with `personal` marked sealed, to the byte of its JSON', () => {
    fc.assert(
      fc.property(personalDecisions, ({ event: decision }) => {
        const { event, sealed } = sealPersonalData(decision, {
          pointers: ALL_DECISION_FIELDS,
          subjectKey: KEY_A,
        });
        const stored = JSON.parse(JSON.stringify({ ...event, seq: 7 })) as typeof event;
        const before = structuredClone(stored);
        const opened = openedView(stored, sealed, KEY_A);
        if (!opened.ok) throw new Error(opened.reason);
        // What the server wrote before it had openedView: the values restored, then marked.
        const values = openPersonalData(stored, sealed, KEY_A);
        if (!values.ok) throw new Error(values.reason);
        const expected = {
          ...restorePersonalData(stored, values.values),
          personal: { ...stored.personal, sealed: true },
        };
        expect(JSON.stringify(opened.view)).toBe(JSON.stringify(expected));
        expect(opened.view).toStrictEqual({ ...decision, seq: 7, personal: expected.personal });
        expect(stored).toStrictEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('restores an annotation too', () => {
    const { event, sealed } = sealPersonalData(NOTE, {
      pointers: ['/annotation/text'],
      subjectKey: KEY_A,
    });
    const opened = openedView(event, sealed, KEY_A);
    expect(opened.ok && opened.view).toStrictEqual({
      ...NOTE,
      personal: { ...event.personal, sealed: true },
    });
  });

  it('fails as openPersonalData does, and throws where restorePersonalData throws', () => {
    const { event, sealed } = sealPersonalData(LOAN, { pointers: ['/cohort'], subjectKey: KEY_A });
    expect(openedView(event, sealed, KEY_B)).toEqual(openPersonalData(event, sealed, KEY_B));
    expect(openedView(LOAN, sealed, KEY_A)).toEqual(openPersonalData(LOAN, sealed, KEY_A));
    expect(() => openedView(event, sealed, new Uint8Array(16))).toThrow(RangeError);

    // A record that opens and matches its commitment but names a field off the allow-list:
    // only a holder of the subject key can make one.
    const salt = new Uint8Array(32).fill(3);
    const values = { '/labels': { product: 'loan' } };
    const commitment = commitmentOf(salt, values);
    const hostile = { ...LOAN, personal: { fields: ['/labels'], commitment } };
    const nonce = new Uint8Array(12).fill(5);
    const plaintext = Buffer.from(canonicalJson({ salt: encodeBase64(salt), values }));
    const { ciphertext, tag } = aesGcmSeal(
      KEY_A,
      nonce,
      plaintext,
      personalAad(LOAN.id, commitment),
    );
    const record = {
      alg: 'A256GCM',
      nonce: encodeBase64(nonce),
      ciphertext: encodeBase64(ciphertext),
      tag: encodeBase64(tag),
    };
    expect(openPersonalData(hostile, record, KEY_A).ok).toBe(true);
    expect(() => openedView(hostile, record, KEY_A)).toThrow(
      new RangeError('/labels has no place in the event'),
    );
  });
});
