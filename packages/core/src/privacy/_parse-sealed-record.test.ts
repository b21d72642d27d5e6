import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeBase64, encodeBase64 } from '../ledger/_base64.js';
import { nearlyBase64 } from '../ledger/fixtures/base64-texts.js';
import { parseSealedRecord, sealedRecordBytes } from './_parse-sealed-record.js';
import { KEY_A, LOAN } from './fixtures/personal-events.js';
import { nearObjects } from './fixtures/schema-inputs.js';
import { sealPersonalData } from './seal-personal-data.js';
import { SealedPersonalData } from './sealed-personal-data.js';

const validRecords = fc
  .record({
    nonce: fc.uint8Array({ minLength: 12, maxLength: 12 }),
    ciphertext: fc.uint8Array({ maxLength: 60 }),
    tag: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  })
  .map(({ nonce, ciphertext, tag }) => ({
    alg: 'A256GCM',
    nonce: encodeBase64(nonce),
    ciphertext: encodeBase64(ciphertext),
    tag: encodeBase64(tag),
  }));

const memberValues = fc.oneof(
  nearlyBase64(10, 18),
  nearlyBase64(),
  fc.constantFrom('A256GCM', 'A128GCM', 'a256gcm', ''),
  fc.jsonValue(),
);

describe('parseSealedRecord', () => {
  test('takes what the schema takes, refuses what it refuses, and decodes the members', () => {
    fc.assert(
      fc.property(nearObjects(validRecords, memberValues), (input) => {
        const schema = SealedPersonalData.safeParse(input);
        const parsed = parseSealedRecord(input);
        expect(parsed !== undefined).toBe(schema.success);
        if (schema.success) {
          expect(parsed).toEqual({
            nonce: decodeBase64(schema.data.nonce),
            ciphertext: decodeBase64(schema.data.ciphertext),
            tag: decodeBase64(schema.data.tag),
          });
        }
        // The hand-written check alone never takes what the schema refuses.
        if (sealedRecordBytes(input) !== undefined) expect(schema.success).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  test('checks a sealed record as read back from storage by hand, without the schema', () => {
    const { sealed } = sealPersonalData(LOAN, { pointers: ['/cohort'], subjectKey: KEY_A });
    const stored: unknown = JSON.parse(JSON.stringify(sealed));
    expect(sealedRecordBytes(stored)).toBeDefined();
    fc.assert(
      fc.property(validRecords, (record) => {
        expect(sealedRecordBytes(JSON.parse(JSON.stringify(record)))).toBeDefined();
      }),
    );
  });
});
