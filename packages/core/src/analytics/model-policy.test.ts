import { describe, expect, it } from 'vitest';
import { parseModelDeclaration } from './model-declaration.js';
import { matchesPattern, parseModelPolicy } from './model-policy.js';

describe('parseModelPolicy', () => {
  it('takes patterns and the rule for undeclared versions', () => {
    expect(parseModelPolicy({ name_pattern: '[a-z-]+', undeclared: 'refuse' })).toEqual({
      ok: true,
      policy: { name_pattern: '[a-z-]+', undeclared: 'refuse' },
    });
  });
  it.each([
    [{ name_pattern: '(' }, 'name_pattern', /not a valid regular expression/],
    [{ version_pattern: '(\\d+)*' }, 'version_pattern', /exponential/],
    [{ name_pattern: '(a|aa){2,}' }, 'name_pattern', /exponential/],
    [{ undeclared: 'drop' }, 'undeclared', /must be one of flag, refuse/],
    [{ colour: 'red' }, '', /unknown field colour/],
  ])('names the bad field of %j', (value, path, message) => {
    const result = parseModelPolicy(value);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]).toEqual({ path, message: expect.stringMatching(message) });
  });
  it('matches whole names only', () => {
    expect(matchesPattern('[a-z]+', 'credit')).toBe(true);
    expect(matchesPattern('[a-z]+', 'credit2')).toBe(false);
    expect(matchesPattern('a|b', 'ab')).toBe(false);
    expect(matchesPattern(undefined, 'anything')).toBe(true);
  });
});

describe('parseModelDeclaration', () => {
  it('takes a full declaration', () => {
    const declaration = {
      owner: 'risk',
      purpose: 'credit limits',
      provenance: {
        training_data: 's3://d',
        code: 'git:abc',
        registry_uri: 'mlflow:/m/1',
        digest: 'sha256:1',
      },
      environment: 'prod',
      expected_outcome_delay: 'P30D',
      positive_label: 'default',
      reasons: { DTI: { text: 'Debt is high for the income', adverse: true } },
    };
    expect(parseModelDeclaration(declaration)).toEqual({ ok: true, declaration });
  });
  it('names every bad field', () => {
    const result = parseModelDeclaration({
      owner: 'risk',
      expected_outcome_delay: 'P1M',
      reasons: { DTI: { text: 'x' } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => i.path).sort()).toEqual([
        'expected_outcome_delay',
        'purpose',
        'reasons.DTI.adverse',
      ]);
    }
  });
});
