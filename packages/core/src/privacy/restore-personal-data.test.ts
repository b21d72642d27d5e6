import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_DECISION_FIELDS,
  KEY_A,
  LOAN,
  NOTE,
  personalDecisions,
} from './fixtures/personal-events.js';
import { openPersonalData } from './open-personal-data.js';
import { restorePersonalData } from './restore-personal-data.js';
import { sealPersonalData } from './seal-personal-data.js';

describe('restorePersonalData', () => {
  it('gives back the submitted event after sealing and opening, for any values', () => {
    fc.assert(
      fc.property(personalDecisions, ({ event }) => {
        const { event: committed, sealed } = sealPersonalData(event, {
          pointers: ALL_DECISION_FIELDS,
          subjectKey: KEY_A,
        });
        const opened = openPersonalData(committed, sealed, KEY_A);
        if (!opened.ok) throw new Error(opened.reason);
        const before = structuredClone(committed);
        expect(restorePersonalData(committed, opened.values)).toStrictEqual(event);
        // The committed event given is left as it was, down to its nested objects.
        expect(committed).toStrictEqual(before);
      }),
    );
  });

  it('keeps the stored members and returns an unsealed event as it is', () => {
    const { event, sealed } = sealPersonalData(NOTE, {
      pointers: ['/annotation/text'],
      subjectKey: KEY_A,
    });
    const stored = { ...event, seq: 4, recorded_at: '2026-11-28T10:00:01.000Z' };
    const opened = openPersonalData(stored, sealed, KEY_A);
    if (!opened.ok) throw new Error(opened.reason);
    expect(restorePersonalData(stored, opened.values)).toStrictEqual({
      ...NOTE,
      seq: 4,
      recorded_at: '2026-11-28T10:00:01.000Z',
    });
    expect(restorePersonalData(LOAN, {})).toStrictEqual(LOAN);
  });

  it('refuses values for other fields, and fields off the allow-list', () => {
    const { event } = sealPersonalData(LOAN, { pointers: ['/cohort'], subjectKey: KEY_A });
    expect(() => restorePersonalData(event, { '/labels': {} })).toThrow(/exactly the sealed/);
    const hostile = { ...event, personal: { fields: ['/__proto__'], commitment: '' } };
    expect(() => restorePersonalData(hostile, { '/__proto__': { polluted: true } })).toThrow(
      RangeError,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
