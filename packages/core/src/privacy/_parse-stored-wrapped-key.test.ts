import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeBase64, encodeBase64 } from '../ledger/_base64.js';
import { nearlyBase64 } from '../ledger/fixtures/base64-texts.js';
import { decodedWrappings, parseStoredWrappedKey } from './_parse-stored-wrapped-key.js';
import { counterRandom, testMasterKey } from './fixtures/personal-events.js';
import { nearObjects } from './fixtures/schema-inputs.js';
import { generateSubjectKey } from './generate-subject-key.js';
import { rewrapSubjectKey } from './rewrap-subject-key.js';
import { wrapSubjectKey } from './wrap-subject-key.js';
import { StoredWrappedKey, type WrappedKey } from './wrapped-key.js';

const keyIds = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{16}$/),
  fc.stringMatching(/^[0-9a-fA-F]{15,17}$/),
  fc.constantFrom('0123456789abcdef\n', '0123456789abcdeg', ''),
);

const validWrappings = fc
  .record({
    master_key_id: fc.stringMatching(/^[0-9a-f]{16}$/),
    nonce: fc.uint8Array({ minLength: 12, maxLength: 12 }),
    wrapped_key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    tag: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  })
  .map(({ master_key_id, nonce, wrapped_key, tag }) => ({
    alg: 'A256GCM',
    master_key_id,
    nonce: encodeBase64(nonce),
    wrapped_key: encodeBase64(wrapped_key),
    tag: encodeBase64(tag),
  }));

const memberValues = fc.oneof(
  keyIds,
  nearlyBase64(10, 34),
  fc.constantFrom('A256GCM', 'A128GCM'),
  fc.jsonValue(),
);

const nearWrappings = nearObjects(validWrappings, memberValues);

/** Single wrappings and lists of 0 to 9 of them (the schema takes 1 to 8). */
const inputs = fc.oneof(
  nearWrappings,
  fc.array(fc.oneof({ weight: 4, arbitrary: validWrappings }, nearWrappings), { maxLength: 9 }),
);

function decoded(wrapping: WrappedKey) {
  return {
    masterKeyId: wrapping.master_key_id,
    nonce: decodeBase64(wrapping.nonce),
    wrappedKey: decodeBase64(wrapping.wrapped_key),
    tag: decodeBase64(wrapping.tag),
  };
}

describe('parseStoredWrappedKey', () => {
  test('takes what the schema takes, refuses what it refuses, and decodes every wrapping', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const schema = StoredWrappedKey.safeParse(input);
        const parsed = parseStoredWrappedKey(input);
        expect(parsed !== undefined).toBe(schema.success);
        if (schema.success) {
          const wrappings = Array.isArray(schema.data) ? schema.data : [schema.data];
          expect(parsed).toEqual(wrappings.map(decoded));
        }
        // The hand-written check alone never takes what the schema refuses.
        if (decodedWrappings(input) !== undefined) expect(schema.success).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  test('checks stored keys by hand, without the schema: one wrapping, and several in a rotation', () => {
    const context = { tenant: 'acme', subject: 'customer-17' };
    const [oldMaster, newMaster] = [testMasterKey(1), testMasterKey(100)];
    const record = wrapSubjectKey(oldMaster, generateSubjectKey(counterRandom()), context);
    const both = rewrapSubjectKey(record, context, {
      from: [oldMaster],
      to: [oldMaster, newMaster],
    });
    expect(both.ok && Array.isArray(both.record)).toBe(true);
    for (const stored of [record, both.ok ? both.record : null]) {
      expect(decodedWrappings(JSON.parse(JSON.stringify(stored)))).toBeDefined();
    }
  });
});
