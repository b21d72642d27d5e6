import { textWords, type DecisionFacts, type DecisionFilter } from '@declog/core';

/**
 * The searchable terms of a decision, in one GIN-indexed array: its reason codes, its labels
 * and the words of its rationale summary, each tagged with what it is (`r:`, `l:`, `w:`) so
 * that a reason never matches a word. A label carries its key's length, so that no choice of
 * key and value can imitate another pair.
 */
export function decisionTerms(facts: DecisionFacts): string[] {
  return [
    ...facts.reasonCodes.map(reasonTerm),
    ...facts.labels.map(([key, value]) => labelTerm(key, value)),
    ...textWords(facts.summary).map(wordTerm),
  ];
}

/** The terms a decision must all have to match the filter's reason, labels and words. */
export function filterTerms(filter: DecisionFilter): string[] {
  return [
    ...(filter.reason === undefined ? [] : [reasonTerm(filter.reason)]),
    ...filter.labels.map(([key, value]) => labelTerm(key, value)),
    ...filter.words.flatMap(textWords).map(wordTerm),
  ];
}

const reasonTerm = (code: string) => `r:${code}`;
const labelTerm = (key: string, value: string) => `l:${key.length}:${key}=${value}`;
const wordTerm = (word: string) => `w:${word}`;
