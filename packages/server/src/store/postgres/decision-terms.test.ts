import { describe, expect, it } from 'vitest';
import type { DecisionFacts, DecisionFilter } from '@declog/core';
import { decisionTerms, filterTerms } from './decision-terms.js';

const facts: DecisionFacts = {
  model: 'm',
  modelVersion: '1',
  subject: null,
  reasonCodes: ['income_low', 'dti', 'manual'],
  labels: [['team', 'risk']],
  summary: 'Income low; DTI high',
  label: null,
  score: null,
  confidence: null,
  fields: 0,
};
const filter = (parts: Partial<DecisionFilter>): DecisionFilter => ({
  labels: [],
  words: [],
  ...parts,
});
const matches = (f: DecisionFilter) =>
  filterTerms(f).every((term) => decisionTerms(facts).includes(term));

describe('decision terms', () => {
  it('match a decision on its reason, labels and summary words', () => {
    expect(matches(filter({ reason: 'dti' }))).toBe(true);
    expect(matches(filter({ labels: [['team', 'risk']] }))).toBe(true);
    expect(matches(filter({ words: ['income', 'HIGH'] }))).toBe(true);
    expect(matches(filter({ reason: 'dti', labels: [['team', 'risk']], words: ['low'] }))).toBe(
      true,
    );
  });

  it('keep kinds apart: a word is not a reason, a reason is not a word', () => {
    expect(matches(filter({ reason: 'income' }))).toBe(false);
    expect(matches(filter({ words: ['manual'] }))).toBe(false);
  });

  it('tell label pairs apart even when keys and values hold "="', () => {
    const tricky: DecisionFacts = { ...facts, labels: [['a=b', 'c']] };
    const terms = decisionTerms(tricky);
    expect(filterTerms(filter({ labels: [['a', 'b=c']] })).every((t) => terms.includes(t))).toBe(
      false,
    );
    expect(filterTerms(filter({ labels: [['a=b', 'c']] })).every((t) => terms.includes(t))).toBe(
      true,
    );
  });

  it('are empty for a filter without reason, labels or words', () => {
    expect(filterTerms(filter({ model: 'm' }))).toEqual([]);
  });
});
