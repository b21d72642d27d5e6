import { describe, expect, it } from 'vitest';
import type { IndexFacts } from './index-facts.js';
import { indexPageProblem, type ExpectedPosition } from './index-page-problem.js';
import type { StoredDecisionColumns, StoredEntryColumns, StoredIndexPage } from './index-reader.js';

const decisionFacts = (seq: number): IndexFacts => ({
  seq,
  id: `dec-${seq}`,
  type: 'decision',
  decisionId: null,
  kind: null,
  occurredMs: 1000,
  recordedMs: 2000,
  decision: {
    model: 'credit',
    modelVersion: '1',
    subject: 's-1',
    reasonCodes: ['income'],
    labels: [['team', 'risk']],
    summary: 'Income is high',
    label: 'approve',
    score: 0.82,
    confidence: null,
    fields: 5,
  },
  personal: null,
  outcomeLabel: null,
});
const actionFacts: IndexFacts = {
  seq: 1,
  id: 'act-1',
  type: 'action',
  decisionId: 'dec-0',
  kind: 'automated',
  occurredMs: 1000,
  recordedMs: 2000,
  decision: null,
  personal: null,
  outcomeLabel: null,
};
const expected: ExpectedPosition[] = [
  { seq: 0, facts: decisionFacts(0), terms: ['income', 'is', 'high'] },
  { seq: 1, facts: actionFacts, terms: [] },
  { seq: 2, facts: null, terms: [] },
];

/** What a faithful store keeps for `expected`, listing its sets. */
const faithful = (): StoredIndexPage => ({
  entries: [
    { seq: 0, id: 'dec-0', type: 'decision', decisionId: null, kind: null, occurredMs: 1000 },
    {
      seq: 1,
      id: 'act-1',
      type: 'action',
      decisionId: 'dec-0',
      kind: 'automated',
      occurredMs: 1000,
    },
  ],
  decisions: [
    {
      seq: 0,
      model: 'credit',
      modelVersion: '1',
      occurredMs: 1000,
      subject: 's-1',
      label: 'approve',
      score: 0.82,
      confidence: null,
      fields: 5,
    },
  ],
  elements: {
    reason: [{ seq: 0, value: 'income', position: 0 }],
    label: [{ seq: 0, value: '["team","risk"]', position: 0 }],
    text: ['income', 'is', 'high'].map((value, position) => ({ seq: 0, value, position })),
  },
  textRows: [{ seq: 0, terms: 3 }],
  sealed: [],
});

const problem = (page: StoredIndexPage) =>
  indexPageProblem(expected, page, ['reason', 'label', 'text'], { positioned: true });

describe('indexPageProblem', () => {
  it('finds nothing wrong with what a faithful store keeps', () => {
    expect(problem(faithful())).toBeNull();
  });

  it.each<[string, (page: StoredIndexPage) => StoredIndexPage, number, RegExp]>([
    [
      'an edited id',
      (p) => ({ ...p, entries: p.entries.map((e) => (e.seq === 0 ? { ...e, id: 'dec-9' } : e)) }),
      0,
      /events row's id column holds "dec-9" but the event's id is "dec-0"/,
    ],
    [
      'an action linked to another decision',
      (p) => ({
        ...p,
        entries: p.entries.map((e) => (e.seq === 1 ? { ...e, decisionId: 'x' } : e)),
      }),
      1,
      /decision_id column holds "x" but the event names "dec-0"/,
    ],
    [
      'a missing events row',
      (p) => ({ ...p, entries: p.entries.slice(1) }),
      0,
      /events row is missing/,
    ],
    [
      'an events row kept for a pruned entry',
      (p) => ({
        ...p,
        entries: [...p.entries, { ...(p.entries[1] as StoredEntryColumns), seq: 2 }],
      }),
      2,
      /events row is kept for it, though the entry was pruned/,
    ],
    [
      'an edited subject',
      (p) => ({
        ...p,
        decisions: [{ ...(p.decisions[0] as StoredDecisionColumns), subject: null }],
      }),
      0,
      /decisions row's subject column holds null but the event says "s-1"/,
    ],
    [
      'an edited score',
      (p) => ({
        ...p,
        decisions: [{ ...(p.decisions[0] as StoredDecisionColumns), score: 0.12 }],
      }),
      0,
      /decisions row's score column holds 0.12 but the event says 0.82/,
    ],
    [
      'a predicted label moved',
      (p) => ({
        ...p,
        decisions: [{ ...(p.decisions[0] as StoredDecisionColumns), label: 'decline' }],
      }),
      0,
      /decisions row's label column holds "decline" but the event says "approve"/,
    ],
    [
      'a confidence made up',
      (p) => ({
        ...p,
        decisions: [{ ...(p.decisions[0] as StoredDecisionColumns), confidence: 0.9 }],
      }),
      0,
      /decisions row's confidence column holds 0.9 but the event says null/,
    ],
    [
      'a field said missing',
      (p) => ({
        ...p,
        decisions: [{ ...(p.decisions[0] as StoredDecisionColumns), fields: 4 }],
      }),
      0,
      /decisions row's fields column holds 4 but the event says 5/,
    ],
    [
      'an outcome label kept for an action',
      (p) => ({
        ...p,
        entries: p.entries.map((e) => (e.seq === 1 ? { ...e, outcomeLabel: 'repaid' } : e)),
      }),
      1,
      /outcome row's label column holds "repaid" but the event says null/,
    ],
    ['a missing decisions row', (p) => ({ ...p, decisions: [] }), 0, /decisions row is missing/],
    [
      'a decisions row twice',
      (p) => ({ ...p, decisions: [...p.decisions, ...p.decisions] }),
      0,
      /2 decisions rows are kept for it/,
    ],
    [
      'a decisions row for an action',
      (p) => ({
        ...p,
        decisions: [...p.decisions, { ...(p.decisions[0] as StoredDecisionColumns), seq: 1 }],
      }),
      1,
      /decisions row is kept for it, though it is an action/,
    ],
    [
      'a reason missing',
      (p) => ({ ...p, elements: { ...p.elements, reason: [] } }),
      0,
      /reason row "income" is missing/,
    ],
    [
      'a label for a pruned entry',
      (p) => ({
        ...p,
        elements: {
          ...p.elements,
          label: [...(p.elements.label ?? []), { seq: 2, value: 'l', position: 0 }],
        },
      }),
      2,
      /an extra label row "l" is kept for it/,
    ],
    [
      'a word moved',
      (p) => ({
        ...p,
        elements: {
          ...p.elements,
          text: ['is', 'income', 'high'].map((value, position) => ({ seq: 0, value, position })),
        },
      }),
      0,
      /full-text term "i(ncome|s)" at 0/,
    ],
    ['a missing full-text row', (p) => ({ ...p, textRows: [] }), 0, /full-text row is missing/],
    [
      'a full-text row of another length',
      (p) => ({ ...p, textRows: [{ seq: 0, terms: 4 }] }),
      0,
      /holds 4 term\(s\) but its summary has 3/,
    ],
    [
      'a full-text row for an action',
      (p) => ({ ...p, textRows: [...p.textRows, { seq: 1, terms: 1 }] }),
      1,
      /full-text row is kept for it, though it is an action/,
    ],
  ])('names the row and column of %s, at its seq', (_, edit, seq, reason) => {
    const found = problem(edit(faithful()));
    expect(found?.seq).toBe(seq);
    expect(found?.reason).toMatch(reason);
  });

  it('compares only what the store lists by range', () => {
    const page = { ...faithful(), elements: {} };
    expect(indexPageProblem(expected, page, [], { positioned: true })).toBeNull();
  });
});
