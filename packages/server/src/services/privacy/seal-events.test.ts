import { prepareEvent, validateEvent, type Event } from '@declog/core';
import { describe, expect, it } from 'vitest';
import { sealWithKeys, subjectsToSeal } from './seal-events.js';
import type { SubjectKeyState } from './subject-keys.js';

const DECISION = {
  id: 'dec-1',
  type: 'decision',
  occurred_at: '2026-11-27T10:00:00Z',
  model: { name: 'credit', version: '3.1.0' },
  prediction: { label: 'approve', score: 0.91 },
  confidence: 0.8,
  rationale: {
    summary: 'income above threshold',
    reasons: [{ code: 'INCOME', weight: 0.7, detail: 'income 52,000' }, { code: 'TENURE' }],
  },
  input: { ref: 's3://bucket/app-1.json', features: { income: 52000, region: 'north' } },
  subject: { id: 'applicant-7' },
  cohort: { age_band: '30-39' },
  context: { channel: 'web' },
  labels: { team: 'risk', zz: 'last' },
};

const prepared = (value: unknown) => {
  const result = validateEvent(value);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return prepareEvent(result.event, () => 'unused');
};
const keys = new Map<string, SubjectKeyState>([
  ['applicant-7', { ok: true, key: new Uint8Array(32).fill(3) }],
]);

describe('sealWithKeys', () => {
  it.each([
    ['features and cohort', DECISION, []],
    ['the summary and details too', DECISION, ['rationale.summary', 'rationale.reasons.*.detail']],
    [
      'features only, input left empty',
      { ...DECISION, input: { features: { income: 52000 } } },
      [],
    ],
  ] as const)('encodes the sealed decision as prepareEvent would: %s', (_, event, sealText) => {
    const [sealed] = sealWithKeys([prepared(event)], keys, sealText);
    const parsed = JSON.parse(`{${sealed!.members.join(',')}}`) as Event;
    const reference = prepareEvent(parsed, () => 'unused');
    expect(sealed!.members).toEqual(reference.members);
    expect(sealed!.bytes).toBe(reference.bytes);
    expect(sealed!.decision).toEqual(reference.decision);
    expect(sealed!.personal?.subject).toBe('applicant-7');
    expect(sealed!.members.join()).not.toContain('52000');
  });

  it('seals the same event to the same bytes (a resend is a duplicate)', () => {
    const once = sealWithKeys([prepared(DECISION)], keys, []);
    const again = sealWithKeys([prepared(DECISION)], keys, []);
    expect(again).toEqual(once);
  });

  it('names only subjects with something to seal', () => {
    const bare = { ...DECISION, id: 'dec-2', subject: { id: 'other' } } as Record<string, unknown>;
    delete bare['input'];
    delete bare['cohort'];
    expect(subjectsToSeal([prepared(DECISION), prepared(bare)], [])).toEqual(['applicant-7']);
    expect(subjectsToSeal([prepared(bare)], ['rationale.summary'])).toEqual(['other']);
  });
});
