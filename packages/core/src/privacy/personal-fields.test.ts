import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../contract/event-schema.js';
import { parsePointer } from './_json-pointer.js';
import { PERSONAL_FIELDS, personalFieldOf, personalPointers } from './personal-fields.js';

describe('personalPointers', () => {
  it('always names features and cohort of a decision, and adds configured free text', () => {
    expect(personalPointers('decision', [])).toEqual({
      ok: true,
      pointers: ['/input/features', '/cohort'],
    });
    expect(personalPointers('decision', ['/rationale/summary', '/annotation/text'])).toEqual({
      ok: true,
      pointers: ['/input/features', '/cohort', '/rationale/summary'],
    });
    expect(personalPointers('annotation', ['/rationale/summary', '/annotation/text'])).toEqual({
      ok: true,
      pointers: ['/annotation/text'],
    });
    expect(personalPointers('outcome', [])).toEqual({ ok: true, pointers: [] });
  });

  it('refuses a configured pointer that is not on the allow-list', () => {
    for (const pointer of ['/subject/id', '/id', '/model', '/cohort', 'rationale/summary']) {
      expect(personalPointers('decision', [pointer])).toMatchObject({
        ok: false,
        code: 'unknown-personal-field',
      });
    }
  });

  it('lists only parseable pointers of known types, and finds each by a concrete pointer', () => {
    for (const field of PERSONAL_FIELDS) {
      expect(EVENT_TYPES).toContain(field.type);
      const tokens = parsePointer(field.pointer.replace('*', '3'));
      expect(tokens && personalFieldOf(field.type, tokens)).toBe(field);
    }
  });
});
