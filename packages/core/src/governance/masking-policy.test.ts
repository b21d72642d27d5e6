import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseMaskingPolicy } from './masking-policy.js';

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../../../../docs/examples/masking-policy.json', import.meta.url), 'utf8'),
) as unknown;

const rule = (r: object) => parseMaskingPolicy({ rules: [r] });
const messages = (value: unknown) => {
  const parsed = parseMaskingPolicy(value);
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('parseMaskingPolicy', () => {
  test('accepts the documented example as it is', () => {
    expect(parseMaskingPolicy(EXAMPLE)).toEqual({ ok: true, policy: EXAMPLE });
  });

  test('accepts an empty rule list without text', () => {
    expect(parseMaskingPolicy({ rules: [] })).toEqual({ ok: true, policy: { rules: [] } });
  });

  test.each([
    ['input.features.*', 'drop'],
    ['labels.*', 'pseudonymize'],
    ['cohort', 'drop'],
    ['context.*', 'drop'],
    ['context', 'drop'],
    ['input', 'drop'],
    ['rationale.reasons', 'drop'],
    ['rationale.reasons.*.detail', 'drop'],
    ['rationale.reasons.*.code', 'pseudonymize'],
    ['rationale.policy', 'drop'],
    ['prediction.label', 'pseudonymize'],
    ['prediction.value', 'pseudonymize'],
    ['prediction.value.limit', 'drop'],
    ['action.details.customer.email', 'drop'],
    ['action.actor.id', 'pseudonymize'],
    ['annotation.author', 'pseudonymize'],
    ['annotation.tags.*', 'truncate'],
    ['model.uri', 'drop'],
    ['model.digest', 'pseudonymize'],
    ['outcome.source', 'drop'],
  ])('allows %s %s', (path, action) => {
    const extra = action === 'truncate' ? { keep: 2 } : {};
    expect(messages({ rules: [{ path, action, ...extra }] })).toEqual([]);
  });

  test('allows generalize with step on numbers and with to on texts', () => {
    expect(rule({ path: 'confidence', action: 'generalize', step: 0.1 }).ok).toBe(true);
    expect(rule({ path: 'outcome.value', action: 'generalize', step: 100 }).ok).toBe(true);
    expect(rule({ path: 'labels.*', action: 'generalize', to: 'month' }).ok).toBe(true);
    expect(rule({ path: 'input.features.*', action: 'generalize', step: 5 }).ok).toBe(true);
  });

  test.each([
    ['id', 'drop', 'envelope'],
    ['type', 'pseudonymize', 'envelope'],
    ['occurred_at', 'drop', 'envelope'],
    ['decision_id', 'pseudonymize', 'envelope'],
    ['*', 'drop', 'it matches id'],
    ['model', 'drop', 'model is required'],
    ['model.name', 'pseudonymize', 'query column'],
    ['model.version', 'drop', 'query column'],
    ['prediction', 'drop', 'prediction is required'],
    ['prediction.label', 'drop', 'at least one of label, score, value'],
    ['prediction.*', 'drop', 'at least one of'],
    ['rationale', 'drop', 'rationale is required'],
    ['rationale.summary', 'drop', 'only text.fields'],
    ['rationale.summary', 'truncate', 'only text.fields'],
    ['rationale.reasons.*', 'drop', 'array item'],
    ['rationale.reasons.*.code', 'drop', 'required'],
    ['rationale.policy.name', 'drop', 'required'],
    ['input.ref', 'drop', 'at least one of ref, digest, features'],
    ['input.ref', 'pseudonymize', 'no replacement value'],
    ['input.*', 'drop', 'it matches input.ref'],
    ['input.features', 'pseudonymize', 'no replacement value'],
    ['subject', 'drop', 'erasure'],
    ['subject.id', 'pseudonymize', 'erasure'],
    ['model.uri', 'pseudonymize', 'no replacement value'],
    ['confidence', 'pseudonymize', 'holds a number'],
    ['outcome.value', 'truncate', 'holds a number'],
    ['action', 'drop', 'action is required'],
    ['action.kind', 'pseudonymize', 'enum'],
    ['action.name', 'drop', 'required'],
    ['action.actor.type', 'drop', 'enum'],
    ['action.actor.id', 'drop', 'required'],
    ['action.details', 'pseudonymize', 'no replacement value'],
    ['outcome.status', 'drop', 'enum'],
    ['outcome.action_id', 'pseudonymize', 'links'],
    ['annotation.text', 'pseudonymize', 'only text.fields'],
    ['annotation.tags.*', 'drop', 'array item'],
    ['labels', 'pseudonymize', 'no replacement value'],
    ['context.nickname', 'drop', 'not a field of the event contract'],
    ['rationale.reasons.0.detail', 'drop', 'not a field'],
  ])('refuses %s %s', (path, action, why) => {
    const extra = action === 'truncate' ? { keep: 2 } : {};
    const found = messages({ rules: [{ path, action, ...extra }] });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('rules[0].path: ');
    expect(found[0]).toContain(why);
  });

  test('refuses generalize with step on text and text fields that cannot hold text', () => {
    expect(messages({ rules: [{ path: 'context.actor', action: 'generalize', step: 1 }] })).toEqual(
      ['rules[0].path: it holds text (generalize with step needs a number)'],
    );
    expect(
      messages({
        rules: [],
        text: {
          fields: ['confidence', 'subject.id', 'rationale.summary'],
          detect: ['email'],
          action: 'mask',
        },
      }),
    ).toEqual([
      'text.fields[0]: it holds a number (only drop and generalize with step apply)',
      'text.fields[1]: erasure finds a subject by subject.id',
    ]);
  });

  test('names every bad field at once', () => {
    expect(
      messages({
        rules: [
          { path: 'id', action: 'drop' },
          { path: 'labels.*', action: 'truncate' },
          { path: 'labels.*', action: 'truncate', keep: 0 },
          { path: 'labels.*', action: 'generalize', to: 'week' },
          { path: 'labels.*', action: 'generalize', to: 'day', step: 1 },
          { path: 'labels.*', action: 'generalize', step: -1 },
          { path: 'labels..x', action: 'drop' },
          { path: 'labels.*', action: 'hash' },
          { path: 'labels.*', action: 'drop', why: 'gdpr' },
          'drop',
        ],
      }),
    ).toEqual([
      'rules[0].path: the envelope is what the ledger and the event chain need',
      'rules[1].keep: is required',
      'rules[2].keep: too small: expected number to be >=1',
      'rules[3].to: must be one of year, month, day, hour',
      'rules[4]: generalize takes either to or step, not both',
      'rules[5].step: too small: expected number to be >0',
      'rules[6].path: must be dot-separated non-empty keys',
      'rules[7].action: must be one of drop, pseudonymize, truncate, generalize',
      'rules[8]: unknown field why',
      'rules[9]: must be an object',
    ]);
  });

  test('checks the shape of the policy and of its text part', () => {
    expect(messages(null)).toEqual([': expected object, received null']);
    expect(
      messages({
        rules: [],
        text: { fields: ['x.y'], detect: ['ssn'], action: 'redact' },
        extra: 1,
      }),
    ).toEqual([
      'text.detect[0]: must be one of email, phone, card, secret',
      'text.action: must be one of flag, mask',
      ': unknown field extra',
    ]);
  });
});
