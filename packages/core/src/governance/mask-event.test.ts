import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { jsonText } from '../json-text.js';
import type { Event } from '../contract/event-schema.js';
import { validateEvent } from '../contract/validate-event.js';
import { maskEvent } from './mask-event.js';
import { splitMaskMarkers } from './mask-markers.js';
import { parseMaskingPolicy, type MaskingPolicy, type MaskingRule } from './masking-policy.js';
import { pseudonym } from './pseudonym.js';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const EXAMPLES = readFileSync(
  new URL('../../../../docs/examples/events.ndjson', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as Event);
const ANNOTATION = EXAMPLES.find((e) => e.type === 'annotation')!;

const DECISION = {
  id: 'dec-1',
  type: 'decision',
  occurred_at: '2026-11-27T10:00:00Z',
  model: { name: 'credit', version: '1' },
  prediction: { label: 'approve' },
  rationale: { summary: 'Approved; applicant wrote from ann@example.com, +49 151 12345678.' },
  input: {
    features: {
      email: 'ann@example.com',
      zip: '10115',
      birth_date: '1990-05-17',
      income: 52_345,
      nickname: null,
    },
  },
  context: { actor: 'clerk-17', channel: 'web' },
  labels: { team: 'risk' },
} satisfies Event;

function policy(value: unknown): MaskingPolicy {
  const parsed = parseMaskingPolicy(value);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.policy;
}

const EXAMPLE_POLICY = policy(
  JSON.parse(
    readFileSync(new URL('../../../../docs/examples/masking-policy.json', import.meta.url), 'utf8'),
  ),
);

describe('maskEvent', () => {
  test('applies the documented example policy', () => {
    expect(maskEvent(DECISION, EXAMPLE_POLICY, KEY)).toEqual({
      ...DECISION,
      input: {
        features: {
          email: pseudonym('ann@example.com', KEY),
          zip: '101',
          birth_date: '1990-05',
          income: 52_000,
          nickname: null,
        },
      },
      context: { channel: 'web' },
      erased: ['/context/actor'],
      masked: [
        '/input/features/birth_date',
        '/input/features/email',
        '/input/features/income',
        '/input/features/zip',
      ],
      flagged: [{ path: '/rationale/summary', kinds: ['email', 'phone'] }],
    });
  });

  test('a pseudonym is hmac: and 22 base64url characters, keyed and deterministic', () => {
    const p = pseudonym('ann@example.com', KEY);
    expect(p).toMatch(/^hmac:[A-Za-z0-9_-]{22}$/);
    expect(pseudonym('ann@example.com', KEY)).toBe(p);
    expect(pseudonym('ann@example.com', OTHER_KEY)).not.toBe(p);
    expect(pseudonym('42', KEY)).not.toBe(pseudonym(42, KEY));
    expect(pseudonym({ b: 1, a: 2 }, KEY)).toBe(pseudonym({ a: 2, b: 1 }, KEY));
  });

  test('equal values in different events and fields get the same pseudonym (joins)', () => {
    const p = policy({
      rules: [
        { path: 'input.features.email', action: 'pseudonymize' },
        { path: 'labels.*', action: 'pseudonymize' },
      ],
    });
    const masked = maskEvent(
      { ...DECISION, labels: { contact: 'ann@example.com' } },
      p,
      KEY,
    ) as typeof DECISION & { labels: { contact: string } };
    expect(masked.labels.contact).toBe(masked.input.features.email);
  });

  test('text masking replaces findings and marks the field as masked', () => {
    const p = policy({
      rules: [],
      text: {
        fields: ['rationale.summary', 'annotation.text'],
        detect: ['email', 'phone'],
        action: 'mask',
      },
    });
    const masked = maskEvent(DECISION, p, KEY);
    expect(masked.type === 'decision' && masked.rationale.summary).toBe(
      'Approved; applicant wrote from [email], [phone].',
    );
    expect(masked.masked).toEqual(['/rationale/summary']);
    expect(masked.flagged).toBeUndefined();
    expect(maskEvent(ANNOTATION, p, KEY)).toEqual(ANNOTATION); // nothing found: no markers
  });

  test('masked text never outgrows the contract limit', () => {
    const summary = 'a@b.cd '.repeat(285).slice(0, 1999);
    const event = { ...DECISION, rationale: { summary } };
    const p = policy({
      rules: [],
      text: { fields: ['rationale.summary'], detect: ['email'], action: 'mask' },
    });
    const masked = maskEvent(event, p, KEY);
    expect(validateEvent(masked).ok).toBe(false); // markers are not the producer's fields
    const { masked: _m, ...plain } = masked;
    expect(validateEvent(plain).ok).toBe(true);
    expect(masked.type === 'decision' && [...masked.rationale.summary].length).toBe(2000);
  });

  test('values an action does not fit are kept as sent and not marked', () => {
    const p = policy({
      rules: [
        { path: 'input.features.income', action: 'truncate', keep: 2 },
        { path: 'input.features.zip', action: 'generalize', to: 'year' },
        { path: 'input.features.email', action: 'generalize', step: 10 },
        { path: 'input.features.nickname', action: 'pseudonymize' },
        { path: 'input.features.missing', action: 'drop' },
        { path: 'labels.nothing', action: 'pseudonymize' },
      ],
    });
    expect(maskEvent(DECISION, p, KEY)).toEqual(DECISION);
  });

  test('the first rule that changes a field wins; a field inside a changed one is not marked', () => {
    const p = policy({
      rules: [
        { path: 'input.features.zip', action: 'truncate', keep: 2 },
        { path: 'input.features.*', action: 'pseudonymize' },
        { path: 'context.actor', action: 'pseudonymize' },
        { path: 'context', action: 'drop' },
      ],
    });
    const masked = maskEvent(DECISION, p, KEY) as typeof DECISION & { erased: string[] };
    expect(masked.input.features.zip).toBe('10');
    expect(masked.input.features.email).toBe(pseudonym('ann@example.com', KEY));
    expect(masked.input.features.nickname).toBeNull();
    expect(masked.erased).toEqual(['/context']);
    expect(masked).not.toHaveProperty('context');
    expect((masked as { masked?: string[] }).masked).toEqual([
      '/input/features/birth_date',
      '/input/features/email',
      '/input/features/income',
      '/input/features/zip',
    ]);
  });

  test('array items are reached with * and pointers escape ~ and /', () => {
    const event = {
      ...DECISION,
      rationale: {
        summary: 'ok',
        reasons: [{ code: 'A', detail: 'call 0151 12345678' }, { code: 'B' }],
      },
      labels: { 'a/b~c': 'x' },
    } satisfies Event;
    const p = policy({
      rules: [
        { path: 'rationale.reasons.*.code', action: 'pseudonymize' },
        { path: 'labels.*', action: 'drop' },
      ],
      text: { fields: ['rationale.reasons.*.detail'], detect: ['phone'], action: 'flag' },
    });
    const masked = maskEvent(event, p, KEY);
    expect(masked.erased).toEqual(['/labels/a~1b~0c']);
    expect(masked.masked).toEqual(['/rationale/reasons/0/code', '/rationale/reasons/1/code']);
    expect(masked.flagged).toEqual([{ path: '/rationale/reasons/0/detail', kinds: ['phone'] }]);
  });

  test('never changes its input and returns the event itself for an empty policy', () => {
    const event = structuredClone(DECISION);
    maskEvent(event, EXAMPLE_POLICY, KEY);
    expect(event).toEqual(DECISION);
    const empty = policy({ rules: [] });
    expect(maskEvent(event, empty, KEY)).toBe(event);
  });

  test('masks an event nested 50,000 levels deep, as stored before the depth limit', () => {
    const deepText = `${'['.repeat(50_000)}{"k":"v"}${']'.repeat(50_000)}`;
    const deep = { ...DECISION, prediction: { value: JSON.parse(deepText) as unknown } };
    const masked = maskEvent(deep, EXAMPLE_POLICY, KEY) as typeof deep;
    expect(jsonText(masked.prediction.value)).toBe(deepText);
    expect(masked.input?.features?.['zip']).toBe('101');
  });

  test('keeps __proto__, constructor and prototype members as data, and masks them', () => {
    const labels = JSON.parse(
      '{"__proto__":"ann@example.com","constructor":"x","prototype":"y"}',
    ) as Record<string, string>;
    const value = JSON.parse('{"__proto__":{"polluted":true}}') as unknown;
    const event = { ...DECISION, labels, prediction: { value } };
    const rules = policy({ rules: [{ path: 'labels.*', action: 'pseudonymize' }] });
    const masked = maskEvent(event, rules, KEY) as typeof event & { masked?: string[] };
    expect(Object.keys(masked.labels ?? {})).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(masked.labels?.['__proto__']).toBe(pseudonym('ann@example.com', KEY));
    expect(Object.getPrototypeOf(masked.labels)).toBe(Object.prototype);
    expect(masked.masked).toEqual([
      '/labels/__proto__',
      '/labels/constructor',
      '/labels/prototype',
    ]);
    expect(canonicalJson(masked.prediction.value)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('splitting the markers off a stored event keeps a __proto__ member as data', () => {
    // A stored event edited to hold one: the contract check must see it, not a prototype.
    const stored = JSON.parse('{"__proto__":{"type":"decision"},"masked":["/labels/a"]}') as object;
    const split = splitMaskMarkers(stored);
    if (!split.ok) throw new Error(JSON.stringify(split.issues));
    expect(Object.keys(split.event)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(split.event)).toBe(Object.prototype);
    expect(split.event['type']).toBeUndefined();
    expect(validateEvent(split.event).ok).toBe(false);
  });

  test('refuses a policy that does not parse and a short key', () => {
    const bad = { rules: [{ path: 'id', action: 'drop' }] } as MaskingPolicy;
    expect(() => maskEvent(DECISION, bad, KEY)).toThrow(TypeError);
    expect(() => maskEvent(DECISION, EXAMPLE_POLICY, new Uint8Array(15))).toThrow(RangeError);
  });
});

// Every rule a policy may hold on the example events, then random orders of them: a masked
// event must still satisfy the contract, come out the same twice, and carry sorted markers.
const PATHS = [
  ...['input.features.*', 'input.features.income', 'labels.*', 'cohort.*', 'context.*'],
  ...['context', 'input', 'rationale.reasons', 'rationale.reasons.*.detail'],
  ...['rationale.reasons.*.code', 'rationale.reasons.*.weight', 'rationale.policy'],
  ...['rationale.policy.name', 'rationale.method', 'prediction.label', 'prediction.score'],
  ...['prediction.value', 'prediction.value.limit', 'prediction.value.*', 'confidence'],
  ...['outcome.label', 'outcome.value', 'outcome.source', 'annotation.tags.*'],
  ...['annotation.tags', 'annotation.author', 'action.details', 'action.details.*'],
  ...['action.actor.id', 'model.digest', 'model.uri', 'input.digest', 'cohort', 'labels'],
];
const ACTIONS = [
  { action: 'drop' },
  { action: 'pseudonymize' },
  { action: 'truncate', keep: 1 },
  { action: 'truncate', keep: 3 },
  { action: 'generalize', to: 'year' },
  { action: 'generalize', to: 'hour' },
  { action: 'generalize', step: 0.1 },
  { action: 'generalize', step: 1000 },
];
const ALLOWED = PATHS.flatMap((path) =>
  ACTIONS.map((a) => ({ path, ...a }) as MaskingRule).filter(
    (rule) => parseMaskingPolicy({ rules: [rule] }).ok,
  ),
);
const TEXT_FIELDS = ['rationale.summary', 'annotation.text', 'labels.*', 'input.features.*'];

describe('maskEvent (property)', () => {
  test('has enough allowed rules to be meaningful', () => {
    expect(ALLOWED.length).toBeGreaterThan(100);
  });

  test('a masked event still satisfies the contract, deterministically', () => {
    const events = fc.constantFrom(...EXAMPLES, DECISION, {
      ...ANNOTATION,
      annotation: { text: 'x@y.io '.repeat(1400) },
    } as Event);
    const policies = fc.record({
      rules: fc.array(fc.constantFrom(...ALLOWED), { maxLength: 12 }),
      text: fc.option(
        fc.record({
          fields: fc.subarray(TEXT_FIELDS),
          detect: fc.subarray(['email', 'phone', 'card', 'secret'] as const, { minLength: 1 }),
          action: fc.constantFrom('flag' as const, 'mask' as const),
        }),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(events, policies, (event, raw) => {
        const p = policy(raw.text === undefined ? { rules: raw.rules } : raw);
        const masked = maskEvent(event, p, KEY);
        const split = splitMaskMarkers(masked);
        expect(split.ok).toBe(true);
        if (!split.ok) return;
        const check = validateEvent(split.event);
        expect(check.ok ? [] : check.issues).toEqual([]);
        expect(canonicalJson(maskEvent(structuredClone(event), p, KEY))).toBe(
          canonicalJson(masked),
        );
        for (const list of [split.markers.erased, split.markers.masked]) {
          if (list) expect(list).toEqual([...list].sort());
        }
      }),
      { numRuns: 500 },
    );
  });
});
