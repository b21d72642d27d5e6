import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, leafHash, type StoredRow } from '@declog/core';
import { checkStoredRow } from './check-stored-row.js';

const event = { id: 'd-1', seq: 4, type: 'decision', score: 0.75, rationale: { summary: 'ok' } };
const row: StoredRow = { seq: 4, type: 'decision', json: canonicalJson(event) };

describe('checkStoredRow', () => {
  it('returns the leaf hash of a canonical event at its seq, of its type', () => {
    expect(checkStoredRow(row, 4)).toMatchObject({ leafHash: leafHash(Buffer.from(row.json)) });
  });

  it('keeps the texts of the members the index facts come from, read on the way', () => {
    const checked = checkStoredRow(row, 4);
    if ('code' in checked) expect.fail(checked.reason);
    expect(checked.members?.slice(0, 3)).toEqual(['4', '"decision"', '"d-1"']);
    expect(checked.members?.[9]).toBe('{"summary":"ok"}');
  });

  it.each([
    ['a gap before it', row, 3, 'missing-entry'],
    ['another seq in the event', { ...row, seq: 5 }, 5, 'reordered-entry'],
    [
      'a seq written as text',
      { ...row, json: row.json.replace('"seq":4', '"seq":"4"') },
      4,
      'reordered-entry',
    ],
    ['another type column', { ...row, type: 'action' as const }, 4, 'edited-entry'],
    ['text that is not JSON', { ...row, json: row.json.slice(1) }, 4, 'edited-entry'],
    ['JSON that is not canonical', { ...row, json: JSON.stringify(event) }, 4, 'edited-entry'],
    [
      'a number not in canonical form',
      { ...row, json: row.json.replace('0.75', '0.750') },
      4,
      'edited-entry',
    ],
  ])('refuses %s', (_name, stored, position, code) => {
    expect(checkStoredRow(stored, position)).toMatchObject({ code, seq: position });
  });

  it('accepts exactly the events that are canonical JSON with their own seq and type', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.constantFrom<unknown>(4, 5, '4', undefined),
        fc.constantFrom<unknown>('decision', 'action', 1, undefined),
        fc.boolean(),
        (members, seq, type, canonical) => {
          const value = { ...members, seq, type };
          const json = canonical ? canonicalJson(value) : JSON.stringify(value);
          const parsed = JSON.parse(json) as unknown;
          const expected = canonicalJson(parsed) === json && seq === 4 && type === 'decision';
          const checked = checkStoredRow({ seq: 4, type: 'decision', json }, 4);
          expect('leafHash' in checked, json).toBe(expected);
        },
      ),
    );
  });
});
