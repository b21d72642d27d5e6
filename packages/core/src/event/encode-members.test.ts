import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalMembers } from '../canonical-json.js';
import type { Event } from '../contract/event-schema.js';
import { validateEvent } from '../contract/validate-event.js';
import { eventArbitrary } from '../contract/fixtures/event-arbitraries.js';
import { encodeMembers } from './encode-members.js';

type Identified = Event & { readonly id: string };

describe('encodeMembers', () => {
  test('writes exactly the canonical members of every valid event', () => {
    fc.assert(
      fc.property(eventArbitrary, (value) => {
        const checked = validateEvent(value);
        fc.pre(checked.ok);
        const event = value as Identified;
        expect(encodeMembers(event)).toEqual(canonicalMembers(event));
      }),
      { numRuns: 2000 },
    );
  });

  test('refuses a lone surrogate as canonical JSON does', () => {
    const event = {
      id: 'd1',
      type: 'decision',
      occurred_at: '2026-11-27T10:00:00Z',
      model: { name: 'm', version: '1' },
      prediction: { label: 'x' },
      rationale: { summary: 'lone \ud800 surrogate' },
    } as const;
    expect(() => canonicalMembers(event)).toThrow(TypeError);
    expect(() => encodeMembers(event)).toThrow(TypeError);
  });

  test('writes -0 as 0 and large numbers in exponent form, as JSON.stringify does', () => {
    const members = encodeMembers({
      id: 'o1',
      type: 'outcome',
      occurred_at: '2026-11-27T10:00:00Z',
      decision_id: 'd1',
      outcome: { status: 'success', value: -0, label: 1e21 },
    });
    expect(members[3]).toBe('"outcome":{"label":1e+21,"status":"success","value":0}');
  });
});

describe('encodeMembers of events with members the server adds', () => {
  test('keeps masking markers and the personal commitment, as canonical JSON does', () => {
    const event = {
      id: 'd1',
      type: 'decision',
      occurred_at: '2026-11-27T10:00:00Z',
      model: { name: 'm', version: '1' },
      prediction: { label: 'x' },
      rationale: { summary: 's' },
      masked: ['/labels/owner'],
      erased: ['/context/actor'],
      personal: { fields: ['/cohort'], commitment: 'c' },
    } as unknown as Event & { id: string };
    expect(encodeMembers(event)).toEqual(canonicalMembers(event));
    expect(encodeMembers(event)).toContain('"masked":["/labels/owner"]');
  });
});
