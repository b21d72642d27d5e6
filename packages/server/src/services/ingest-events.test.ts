import {
  LIMITS,
  parseMaskingPolicy,
  sameContent,
  sealMembers,
  validateEvent,
  type MaskingPolicy,
} from '@declog/core';
import { describe, expect, test } from 'vitest';
import { isDeclogError, type DeclogError } from '../errors.js';
import { prepareBatch, type IngestPolicy } from './ingest-events.js';

const RAW_EMAIL = 'ann.lee@example.com';
const RAW_ACTOR = 'clerk-4711';

function masking(value: unknown): MaskingPolicy {
  const parsed = parseMaskingPolicy(value);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.policy;
}

const POLICY: IngestPolicy = {
  masking: masking({
    rules: [
      { path: 'input.features.email', action: 'pseudonymize' },
      { path: 'context.actor', action: 'drop' },
      { path: 'input.features.birth_date', action: 'generalize', to: 'month' },
    ],
    text: { fields: ['rationale.summary'], detect: ['email'], action: 'mask' },
  }),
  pseudonymKey: new Uint8Array(32).fill(1),
};

const DECISION = {
  id: 'dec-1',
  type: 'decision',
  occurred_at: '2026-11-27T10:00:00Z',
  model: { name: 'credit', version: '1' },
  prediction: { label: 'approve' },
  rationale: { summary: `Applicant ${RAW_EMAIL} has a stable income.` },
  input: { features: { email: RAW_EMAIL, birth_date: '1990-05-17', income: 52_000 } },
  context: { actor: RAW_ACTOR, channel: 'web' },
};

const ids = () => 'generated-id';

describe('prepareBatch with an ingest policy', () => {
  test('masks before encoding: the raw values appear nowhere in what is stored or indexed', () => {
    const [prepared] = prepareBatch([DECISION], ids, POLICY);
    const stored = JSON.stringify(prepared);
    for (const raw of [RAW_EMAIL, RAW_ACTOR, '1990-05-17']) expect(stored).not.toContain(raw);
    expect(prepared!.decision!.summary).toBe('Applicant [email] has a stable income.');
    expect(prepared!.members).toContain('"erased":["/context/actor"]');
    expect(prepared!.members).toContain(
      '"masked":["/input/features/birth_date","/input/features/email","/rationale/summary"]',
    );
  });

  test('a resent event is still a duplicate: masking is deterministic', () => {
    const [first] = prepareBatch([DECISION], ids, POLICY);
    const [again] = prepareBatch([structuredClone(DECISION)], ids, POLICY);
    const stored = sealMembers(first!.members, 0, '2026-11-27T10:00:01.000Z');
    expect(sameContent(stored, again!.members)).toBe(true);
    expect(again!.bytes).toBe(first!.bytes);
  });

  test('another pseudonym key gives other content', () => {
    const [first] = prepareBatch([DECISION], ids, POLICY);
    const [other] = prepareBatch([DECISION], ids, {
      ...POLICY,
      pseudonymKey: new Uint8Array(32).fill(2),
    });
    expect(other!.members).not.toEqual(first!.members);
  });

  test('without a policy events are stored as sent', () => {
    const [prepared] = prepareBatch([DECISION], ids);
    expect(JSON.stringify(prepared)).toContain(RAW_EMAIL);
    expect(prepared!.members.some((m) => m.startsWith('"masked"'))).toBe(false);
  });

  test('invalid events are reported before any masking, with their own paths', () => {
    try {
      prepareBatch([{ ...DECISION, erased: ['/x'] }], ids, POLICY);
      expect.unreachable();
    } catch (error) {
      expect(isDeclogError(error) && error.code).toBe('invalid_event');
      expect(isDeclogError(error) && error.details[0]).toMatchObject({ index: 0, path: 'erased' });
    }
  });
});

describe('prepareBatch with an event over the size limit', () => {
  const oversize = {
    id: 'act-big',
    type: 'action',
    occurred_at: '2026-11-27T10:01:00Z',
    decision_id: 'dec-1',
    action: {
      kind: 'other',
      name: 'pad',
      actor: { type: 'system', id: 's' },
      details: { pad: 'x'.repeat(LIMITS.maxEventBytes) },
    },
  };

  function failure(events: readonly unknown[]): DeclogError {
    try {
      prepareBatch(events, ids);
    } catch (error) {
      if (isDeclogError(error)) return error;
      throw error;
    }
    return expect.unreachable('the batch was accepted');
  }

  test('answers event_too_large naming the invalid events too, in index order', () => {
    const invalid = { ...DECISION, id: 'dec-bad', confidence: 2, colour: 'red' };
    const error = failure([DECISION, invalid, oversize, { type: 'outcome' }, oversize]);
    expect(error.code).toBe('event_too_large');
    expect(error.message).toBe('2 event(s) too large, 2 invalid');
    const fromValidator = (value: unknown, index: number) => {
      const result = validateEvent(value);
      return result.ok ? [] : result.issues.map((issue) => ({ index, ...issue }));
    };
    expect(error.details).toEqual([
      ...fromValidator(invalid, 1),
      { index: 2, path: '', message: expect.stringMatching(/^event is \d+ bytes/) as string },
      ...fromValidator({ type: 'outcome' }, 3),
      { index: 4, path: '', message: expect.stringMatching(/^event is \d+ bytes/) as string },
    ]);
    expect(error.details.filter((d) => d.index === 1).map((d) => d.path)).toEqual(
      expect.arrayContaining(['confidence', 'colour']),
    );
  });

  test('without invalid events names only the oversize ones', () => {
    const error = failure([oversize, DECISION, oversize]);
    expect(error.code).toBe('event_too_large');
    expect(error.details.map((d) => [d.index, d.path])).toEqual([
      [0, ''],
      [2, ''],
    ]);
  });
});
