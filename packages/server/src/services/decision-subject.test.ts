import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@declog/core';
import { decisionSubject, decisionSubjects } from './decision-subject.js';

const decision = (fields: Record<string, unknown>) =>
  canonicalJson({ id: 'd1', type: 'decision', seq: 0, recorded_at: 'x', ...fields });

describe('decisionSubject', () => {
  it("reads a stored decision's subject id, escapes included", () => {
    expect(decisionSubject(decision({ subject: { id: 'a "quoted" \\ id' } }))).toBe(
      'a "quoted" \\ id',
    );
    expect(decisionSubject(decision({}))).toBeNull();
  });

  it('never takes a subject nested in a free member for the decision’s own', () => {
    const nested = decision({ prediction: { value: { subject: { id: 'decoy' } } } });
    expect(decisionSubject(nested)).toBeNull();
    const both = decision({
      prediction: { value: { subject: { id: 'decoy' } } },
      subject: { id: 'real' },
    });
    expect(decisionSubject(both)).toBe('real');
    expect(decisionSubjects([both, both, decision({ subject: { id: 'other' } })])).toEqual([
      'real',
      'other',
    ]);
  });
});
