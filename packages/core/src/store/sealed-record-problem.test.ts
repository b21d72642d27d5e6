import { describe, expect, it } from 'vitest';
import type { IndexFacts } from './index-facts.js';
import type { StoredSealedRecord } from './index-reader.js';
import { sealedRecordProblem } from './sealed-record-problem.js';

const member = JSON.stringify({ commitment: 'A'.repeat(43) + '=', fields: ['/cohort'] });
const sealed = { seq: 4, id: 'dec-4', personal: { subject: 's-1', member } } as IndexFacts;
const plain = { seq: 5, id: 'dec-5', personal: null } as IndexFacts;
const record: StoredSealedRecord = {
  eventId: 'dec-4',
  subject: 's-1',
  kept: true,
  shreddedAt: null,
  shreddedBy: null,
};

describe('sealedRecordProblem', () => {
  it('accepts the record a leaf commits to, kept or shredded, and none for a leaf without one', () => {
    expect(sealedRecordProblem(sealed, record, false)).toBeNull();
    const shredded = {
      ...record,
      kept: false,
      shreddedAt: '2026-01-01T00:00:00Z',
      shreddedBy: 'dpo',
    };
    expect(sealedRecordProblem(sealed, shredded, false)).toBeNull();
    expect(sealedRecordProblem(plain, undefined, false)).toBeNull();
  });

  it('accepts no record only for a subject erased before the event arrived', () => {
    expect(sealedRecordProblem(sealed, undefined, true)).toBeNull();
    expect(sealedRecordProblem(sealed, undefined, false)).toMatch(
      /missing, though its subject "s-1" was not erased/,
    );
  });

  it.each<[string, IndexFacts, StoredSealedRecord, RegExp]>([
    [
      'a record for a leaf without one',
      plain,
      { ...record, eventId: 'dec-5' },
      /though its leaf commits to none/,
    ],
    ['another subject', sealed, { ...record, subject: 's-2' }, /filed under subject "s-2"/],
    [
      'an emptied record',
      sealed,
      { ...record, kept: false },
      /emptied without being marked shredded/,
    ],
    [
      'marks on a kept record',
      sealed,
      { ...record, shreddedAt: 'x' },
      /marked shredded but still holds/,
    ],
    ['a malformed record', sealed, { ...record, content: '{"alg":"none"}' }, /malformed/],
    ['malformed bytes', sealed, { ...record, content: new Uint8Array([9, 9]) }, /malformed/],
  ])('names %s', (_, facts, stored, reason) => {
    expect(sealedRecordProblem(facts, stored, false)).toMatch(reason);
  });
});
