import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_DECISION_FIELDS,
  KEY_A,
  LOAN,
  NOTE,
  personalDecisions,
} from './fixtures/personal-events.js';
import { canonicalJson } from '../canonical-json.js';
import { jsonText } from '../json-text.js';
import { openPersonalData } from './open-personal-data.js';
import { openedView } from './opened-view.js';
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

describe('personal data of events nested deeper than the contract allows today', () => {
  // Events stored before the contract limited nesting may hold ~32,000 levels.
  const deepText = `${'['.repeat(50_000)}{"k":"v"}${']'.repeat(50_000)}`;

  it('seals, opens and restores an action whose details nest 50,000 levels', () => {
    const action = {
      id: 'act-deep',
      type: 'action',
      occurred_at: '2026-11-28T10:00:00.000Z',
      decision_id: 'dec-1',
      action: {
        kind: 'other',
        name: 'trace',
        actor: { type: 'system', id: 'svc' },
        details: { trace: JSON.parse(deepText) as unknown },
      },
    } as const;
    const { event, sealed } = sealPersonalData(action, {
      pointers: ['/action/details'],
      subjectKey: KEY_A,
    });
    const opened = openPersonalData(event, sealed, KEY_A);
    if (!opened.ok) throw new Error(opened.reason);
    const restored = restorePersonalData(event, opened.values);
    expect(jsonText(restored)).toBe(jsonText(action));
    const view = openedView(event, sealed, KEY_A);
    if (!view.ok) throw new Error(view.reason);
    expect(jsonText((view.view as { action?: unknown }).action)).toBe(jsonText(action.action));
  });

  it('keeps a deep prediction.value of a sealed decision as it is', () => {
    const loan = { ...LOAN, prediction: { value: JSON.parse(deepText) as unknown } };
    const { event, sealed } = sealPersonalData(loan, {
      pointers: ALL_DECISION_FIELDS,
      subjectKey: KEY_A,
    });
    const opened = openPersonalData(event, sealed, KEY_A);
    if (!opened.ok) throw new Error(opened.reason);
    expect(canonicalJson(restorePersonalData(event, opened.values))).toBe(canonicalJson(loan));
  });
});

describe('prototype keys in personal values', () => {
  it('seals and restores __proto__, constructor and prototype members as data', () => {
    const features = JSON.parse(
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":1}',
    ) as Record<string, unknown>;
    const cohort = JSON.parse('{"__proto__":"F"}') as Record<string, string>;
    const loan = { ...LOAN, input: { features: features as never }, cohort };
    const { event, sealed } = sealPersonalData(loan, {
      pointers: ALL_DECISION_FIELDS,
      subjectKey: KEY_A,
    });
    const opened = openPersonalData(event, sealed, KEY_A);
    if (!opened.ok) throw new Error(opened.reason);
    const restored = restorePersonalData(event, opened.values) as typeof loan;
    expect(canonicalJson(restored)).toBe(canonicalJson(loan));
    const restoredFeatures = restored.input.features as object;
    expect(Object.keys(restoredFeatures)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getPrototypeOf(restoredFeatures)).toBe(Object.prototype);
    expect(Object.keys(restored.cohort)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
