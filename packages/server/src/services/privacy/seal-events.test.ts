import { prepareEvent, validateEvent, type Event, type PreparedEvent } from '@declog/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareBatchWithSources, type IngestPolicy } from '../ingest-events.js';
import { likelySubjects, sealWithKeys, subjectsToSeal } from './seal-events.js';
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

  it('seals to the bytes earlier versions stored, so a resend after an upgrade is a duplicate', () => {
    // Sealed by the first release of this derivation (salt and nonce from HMAC-SHA256 blocks).
    const [sealed] = sealWithKeys([prepared(DECISION)], keys, []);
    expect(JSON.parse(sealed!.personal!.sealed)).toEqual({
      alg: 'A256GCM',
      nonce: 'IaAnn9WQj3jRJayQ',
      ciphertext:
        '8Wvqe8rpJDIQSASNJRZyJKyUW4LkzxKOm/azTiwJuVX4Nhlzglof6Sak07DoXHW9yRQcdjjIhGTZlCCZdNyqlRxUPjI' +
        'r4xHO6kGT6ulTveYvbylhmGY9uD+suuMfWirW2A4gdemXZdOhke8Xua5aHxPUB1RXNElbv5JsUne8My7Zf7sZqnc3Qt' +
        'Pha0UPwUQMohgrzZA=',
      tag: 'c/IX+XhkTee7v7Ing4RoHQ==',
    });
    expect(sealed!.members).toContain(
      '"personal":{"commitment":"l1nSst8oJ9euL6qc7Vn4cVSaM4Sd9Jfm71RzWSQ4k+A=",' +
        '"fields":["/cohort","/input/features"]}',
    );
  });

  it('names only subjects with something to seal', () => {
    const bare = { ...DECISION, id: 'dec-2', subject: { id: 'other' } } as Record<string, unknown>;
    delete bare['input'];
    delete bare['cohort'];
    expect(subjectsToSeal([prepared(DECISION), prepared(bare)], [])).toEqual(['applicant-7']);
    expect(subjectsToSeal([prepared(bare)], ['rationale.summary'])).toEqual(['other']);
  });

  it('seals from the events prepared from exactly as from their encoded members', () => {
    const text = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' });
    const decisions = fc.record(
      {
        id: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { nil: undefined }),
        features: fc.dictionary(
          text,
          fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
          {
            maxKeys: 4,
            noNullPrototype: true,
          },
        ),
        ref: fc.option(text, { nil: undefined }),
        cohort: fc.option(fc.dictionary(text, text, { maxKeys: 3, noNullPrototype: true }), {
          nil: undefined,
        }),
        details: fc.array(fc.option(text, { nil: undefined }), { maxLength: 3 }),
        labels: fc.dictionary(text, text, { maxKeys: 3, noNullPrototype: true }),
      },
      { requiredKeys: ['features', 'details', 'labels'] },
    );
    const policies = fc.constantFrom<IngestPolicy | undefined>(
      undefined,
      {
        masking: {
          rules: [{ path: 'context.channel', action: 'drop' }],
          seal: ['rationale.summary'],
        },
        pseudonymKey: new Uint8Array(32).fill(9),
      },
      {
        masking: { rules: [], seal: ['rationale.summary', 'rationale.reasons.*.detail'] },
        pseudonymKey: new Uint8Array(32).fill(9),
      },
    );
    const normalised = (events: readonly PreparedEvent[]) =>
      // Label order is the source's own; nothing reads it.
      events.map((e) =>
        e.decision
          ? { ...e, decision: { ...e.decision, labels: [...e.decision.labels].sort() } }
          : e,
      );
    fc.assert(
      fc.property(
        fc.array(decisions, { minLength: 1, maxLength: 4 }),
        policies,
        (drawn, policy) => {
          const events = drawn.map((d, i) => {
            const { id: _id, ...withoutId } = DECISION;
            return {
              ...withoutId,
              ...(d.id === undefined ? {} : { id: `${d.id}-${i}` }),
              rationale: {
                summary: 'a summary',
                reasons: d.details.map((detail, r) =>
                  detail === undefined ? { code: `r${r}` } : { code: `r${r}`, detail },
                ),
              },
              input: {
                ...(d.ref === undefined ? {} : { ref: `s3://bucket/${encodeURIComponent(d.ref)}` }),
                features: d.features,
              },
              ...(d.cohort === undefined ? {} : { cohort: d.cohort }),
              labels: d.labels,
            };
          });
          let next = 0;
          const batch = prepareBatchWithSources(events, () => `new-${(next += 1)}`, policy);
          const sealText = policy?.masking.seal ?? [];
          const fromMembers = sealWithKeys(batch.prepared, keys, sealText);
          const fromSources = sealWithKeys(batch.prepared, keys, sealText, batch.sources);
          expect(normalised(fromSources)).toEqual(normalised(fromMembers));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('likelySubjects', () => {
  const bare = { ...DECISION, subject: { id: 'bare' } } as Record<string, unknown>;
  delete bare['input'];
  delete bare['cohort'];
  const events = [
    DECISION,
    bare,
    { ...bare, subject: { id: 'cohort-only' }, cohort: { band: 'a' } },
    { ...bare, subject: { id: 'features-only' }, input: { features: { x: 1 } } },
    { ...bare, subject: { id: 'ref-only' }, input: { ref: 's3://b/k' } },
    { ...DECISION, subject: { id: 42 } },
    { ...DECISION, type: 'annotation', subject: { id: 'annotation' } },
    'not an event',
    null,
    DECISION,
  ];

  it('names the subjects of decisions that hold features or a cohort, once each', () => {
    expect(likelySubjects(events, [], undefined)).toEqual([
      'applicant-7',
      'cohort-only',
      'features-only',
    ]);
  });

  it('names every decision subject when free text is sealed too', () => {
    expect(likelySubjects(events, ['rationale.summary'], { rules: [] })).toEqual([
      'applicant-7',
      'bare',
      'cohort-only',
      'features-only',
      'ref-only',
    ]);
  });

  it('names none when the tenant masks fields or text', () => {
    const drop = { rules: [{ path: 'cohort', action: 'drop' as const }] };
    expect(likelySubjects(events, [], drop)).toEqual([]);
    const text = {
      rules: [],
      text: { fields: ['rationale.summary'], detect: ['email' as const], action: 'mask' as const },
    };
    expect(likelySubjects(events, [], text)).toEqual([]);
  });
});
