import { createDecipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import {
  ALL_DECISION_FIELDS,
  KEY_A,
  LOAN,
  NOTE,
  counterRandom,
  personalDecisions,
} from './fixtures/personal-events.js';
import { openAsFirstWritten } from './fixtures/as-first-written.js';
import { openPersonalData } from './open-personal-data.js';
import { PersonalCommitment } from './personal-commitment.js';
import { PERSONAL_PLACEHOLDER } from './personal-fields.js';
import { sealPersonalData } from './seal-personal-data.js';
import { SealedPersonalData } from './sealed-personal-data.js';

/** The commitment computed from its definition, without the code under test. */
function independentCommitment(salt: string, values: Record<string, unknown>): string {
  return createHash('sha256')
    .update(Buffer.from(salt, 'base64'))
    .update(canonicalJson(values), 'utf8')
    .digest('base64');
}

/** The sealed plaintext, deciphered with node:crypto alone. */
function independentPlaintext(
  event: { readonly id: string; readonly personal?: { readonly commitment: string } },
  sealed: { readonly nonce: string; readonly ciphertext: string; readonly tag: string } | null,
): string {
  if (sealed === null || event.personal === undefined) throw new Error('nothing was sealed');
  const decipher = createDecipheriv('aes-256-gcm', KEY_A, Buffer.from(sealed.nonce, 'base64'));
  decipher.setAAD(
    Buffer.from(JSON.stringify(['declog/personal/v1', event.id, event.personal.commitment])),
  );
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const text = Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]);
  return text.toString('utf8');
}

describe('sealPersonalData', () => {
  it('takes the personal fields out of a decision and commits to them', () => {
    const { event, sealed } = sealPersonalData(LOAN, {
      pointers: ALL_DECISION_FIELDS,
      subjectKey: KEY_A,
      random: counterRandom(),
    });
    expect(event).toEqual({
      ...LOAN,
      rationale: {
        summary: PERSONAL_PLACEHOLDER,
        reasons: [{ code: 'income' }, { code: 'history' }],
      },
      input: { digest: 'sha256:abc' },
      cohort: undefined,
      personal: {
        fields: ['/cohort', '/input/features', '/rationale/reasons/0/detail', '/rationale/summary'],
        commitment: expect.any(String),
      },
    });
    expect(Object.hasOwn(event, 'cohort')).toBe(false);
    expect(PersonalCommitment.safeParse(event.personal).success).toBe(true);
    expect(SealedPersonalData.safeParse(sealed).success).toBe(true);
  });

  it('drops an object that only held personal fields, so the leaf holds no empty input', () => {
    const onlyFeatures = { ...LOAN, input: { features: { income: 1 } } };
    const { event } = sealPersonalData(onlyFeatures, {
      pointers: ['/input/features'],
      subjectKey: KEY_A,
    });
    expect(Object.hasOwn(event, 'input')).toBe(false);
  });

  it('commits to SHA-256(salt ‖ canonical JSON of {pointer: value}), recomputed independently', () => {
    const { event, sealed } = sealPersonalData(LOAN, {
      pointers: ['/input/features', '/cohort'],
      subjectKey: KEY_A,
    });
    const opened = openPersonalData(event, sealed, KEY_A);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.values).toEqual({
      '/cohort': LOAN.cohort,
      '/input/features': LOAN.input?.features,
    });
    expect(Buffer.from(opened.salt, 'base64')).toHaveLength(32);
    expect(event.personal?.commitment).toBe(independentCommitment(opened.salt, opened.values));
  });

  it('commits and seals as first defined, for any values', () => {
    fc.assert(
      fc.property(personalDecisions, ({ event: decision }) => {
        const { event, sealed } = sealPersonalData(decision, {
          pointers: ALL_DECISION_FIELDS,
          subjectKey: KEY_A,
        });
        // Opened by the first implementation: the plaintext and its authenticated data are
        // the bytes they always were.
        const opened = openAsFirstWritten(event, sealed, KEY_A);
        if (!opened.ok) throw new Error(opened.reason);
        expect(event.personal?.commitment).toBe(independentCommitment(opened.salt, opened.values));
        // And the plaintext is exactly the canonical JSON of { salt, values }.
        expect(independentPlaintext(event, sealed)).toBe(
          canonicalJson({ salt: opened.salt, values: opened.values }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('hides a low-entropy value behind the salt: each sealing commits differently', () => {
    const lowEntropy = { ...LOAN, cohort: { sex: 'F' } };
    const commitments = new Set(
      Array.from({ length: 20 }, () => {
        const { event } = sealPersonalData(lowEntropy, {
          pointers: ['/cohort'],
          subjectKey: KEY_A,
        });
        return event.personal?.commitment;
      }),
    );
    expect(commitments.size).toBe(20);
    const unsalted = createHash('sha256')
      .update(canonicalJson({ '/cohort': { sex: 'F' } }))
      .digest('base64');
    expect(commitments.has(unsalted)).toBe(false);
  });

  it('is deterministic given the random source', () => {
    const seal = () =>
      sealPersonalData(LOAN, {
        pointers: ALL_DECISION_FIELDS,
        subjectKey: KEY_A,
        random: counterRandom(7),
      });
    expect(seal()).toEqual(seal());
    expect(
      sealPersonalData(LOAN, {
        pointers: ['/cohort'],
        subjectKey: KEY_A,
        random: counterRandom(8),
      }),
    ).not.toEqual(
      sealPersonalData(LOAN, {
        pointers: ['/cohort'],
        subjectKey: KEY_A,
        random: counterRandom(7),
      }),
    );
  });

  it('leaves no personal value in the committed event, for any values', () => {
    fc.assert(
      fc.property(personalDecisions, ({ event, secrets }) => {
        const sealed = sealPersonalData(event, {
          pointers: ALL_DECISION_FIELDS,
          subjectKey: KEY_A,
        });
        const leaf = canonicalJson(sealed.event);
        const record = canonicalJson(sealed.sealed);
        for (const secret of secrets) {
          // Both the raw text and its JSON-escaped form (which is what the leaf would hold).
          const escaped = JSON.stringify(secret).slice(1, -1);
          expect(leaf.includes(secret) || leaf.includes(escaped)).toBe(false);
          expect(record.includes(escaped)).toBe(false);
        }
      }),
    );
  });

  it('seals a configured annotation text, keeping the required member as a placeholder', () => {
    const { event } = sealPersonalData(NOTE, { pointers: ['/annotation/text'], subjectKey: KEY_A });
    expect(event.type === 'annotation' && event.annotation).toEqual({
      text: PERSONAL_PLACEHOLDER,
      author: 'agent-7',
    });
    expect(event.personal?.fields).toEqual(['/annotation/text']);
  });

  it('returns an event without personal fields as it is, with nothing sealed', () => {
    const plain = { ...NOTE };
    expect(sealPersonalData(plain, { pointers: [], subjectKey: KEY_A })).toEqual({
      event: plain,
      sealed: null,
    });
    const { cohort: _cohort, ...withoutCohort } = LOAN;
    const bare = { ...withoutCohort, input: { digest: 'x' } };
    expect(
      sealPersonalData(bare, { pointers: ['/input/features', '/cohort'], subjectKey: KEY_A })
        .sealed,
    ).toBeNull();
  });

  it('does not change the event it is given, for any values', () => {
    // Frozen all the way down: any write to the event given, however deep, throws.
    const deepFreeze = <T>(value: T): T => {
      if (value !== null && typeof value === 'object') {
        for (const member of Object.values(value)) deepFreeze(member);
        Object.freeze(value);
      }
      return value;
    };
    fc.assert(
      fc.property(personalDecisions, ({ event }) => {
        const before = structuredClone(event);
        const sealed = sealPersonalData(deepFreeze(event), {
          pointers: ALL_DECISION_FIELDS,
          subjectKey: KEY_A,
          random: counterRandom(),
        });
        expect(event).toEqual(before);
        // The same as sealing a private deep copy.
        const fromCopy = sealPersonalData(structuredClone(before), {
          pointers: ALL_DECISION_FIELDS,
          subjectKey: KEY_A,
          random: counterRandom(),
        });
        expect(canonicalJson(sealed)).toBe(canonicalJson(fromCopy));
      }),
    );
    const note = deepFreeze(structuredClone(NOTE));
    sealPersonalData(note, { pointers: ['/annotation/text'], subjectKey: KEY_A });
    expect(note).toEqual(NOTE);
  });

  it('refuses pointers outside the allow-list, a sealed event and a short key', () => {
    const seal = (pointers: string[]) => () =>
      sealPersonalData(LOAN, { pointers, subjectKey: KEY_A });
    expect(seal(['/subject/id'])).toThrow(RangeError);
    expect(seal(['/annotation/text'])).toThrow(/not a personal field of a decision/);
    expect(seal(['/rationale/reasons/0/detail'])).toThrow(RangeError);
    const { event } = sealPersonalData(LOAN, { pointers: ['/cohort'], subjectKey: KEY_A });
    expect(() => sealPersonalData(event, { pointers: ['/cohort'], subjectKey: KEY_A })).toThrow(
      /sealed already/,
    );
    expect(() =>
      sealPersonalData(LOAN, { pointers: ['/cohort'], subjectKey: new Uint8Array(16) }),
    ).toThrow(/32 bytes/);
  });
});
