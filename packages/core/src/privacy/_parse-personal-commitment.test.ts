import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeBase64 } from '../ledger/_base64.js';
import { nearlyBase64 } from '../ledger/fixtures/base64-texts.js';
import { commitmentMembers, parsePersonalCommitment } from './_parse-personal-commitment.js';
import { ALL_DECISION_FIELDS, KEY_A, LOAN } from './fixtures/personal-events.js';
import { nearObjects } from './fixtures/schema-inputs.js';
import { PersonalCommitment } from './personal-commitment.js';
import { sealPersonalData } from './seal-personal-data.js';

/** Pointers and texts that are not pointers, escapes right and wrong among them. */
const pointerLike = fc.oneof(
  fc.constantFrom(
    '/input/features',
    '/cohort',
    '/rationale/summary',
    '/rationale/reasons/0/detail',
    '',
    '/',
    '/a~0b',
    '/a~1b',
    '/a~2b',
    '/a~',
    '~',
    'cohort',
    '/__proto__',
  ),
  fc.string().map((s) => `/${s}`),
  fc.string(),
);

const validCommitments = fc
  .record({
    fields: fc.uniqueArray(pointerLike, { minLength: 1, maxLength: 4 }),
    commitment: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map(({ fields, commitment }) => ({
    fields: fields.filter((f) => f === '' || (f.startsWith('/') && !/~(?![01])/.test(f))).sort(),
    commitment: encodeBase64(commitment),
  }));

const memberValues = fc.oneof(
  nearlyBase64(30, 34),
  fc.array(pointerLike, { maxLength: 4 }),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.jsonValue(),
);

describe('parsePersonalCommitment', () => {
  test('takes what the schema takes and refuses what it refuses', () => {
    fc.assert(
      fc.property(nearObjects(validCommitments, memberValues), (input) => {
        const schema = PersonalCommitment.safeParse(input);
        const parsed = parsePersonalCommitment(input);
        expect(parsed !== undefined).toBe(schema.success);
        if (schema.success) expect(parsed).toEqual(schema.data);
        // The hand-written check alone never takes what the schema refuses.
        if (commitmentMembers(input) !== undefined) expect(schema.success).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  test('checks the personal member of a stored event by hand, without the schema', () => {
    const { event } = sealPersonalData(LOAN, { pointers: ALL_DECISION_FIELDS, subjectKey: KEY_A });
    const stored = JSON.parse(JSON.stringify(event)) as { personal: unknown };
    expect(commitmentMembers(stored.personal)).toEqual(event.personal);
  });
});
