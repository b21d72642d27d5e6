import { labelOf, type DecisionOutcomeRow } from '@declog/core';
import type { DeclaredModels } from './model-registry.js';
import { badParam, type AnalysisParams } from './analysis-params.js';

/**
 * The positive label of an analysis: `positive=` in the query, else the one declared for the
 * version (the same for every version analysed), as text (see labelText). Null when neither.
 */
export function positiveLabel(
  params: AnalysisParams,
  declared: DeclaredModels,
  model: string,
  versions: readonly string[],
): { readonly label: string | null; readonly source: 'query' | 'declared' | null } {
  const given = params['positive'];
  if (given !== undefined) {
    if (given === '') throw badParam('positive', 'must not be empty');
    return { label: given, source: 'query' };
  }
  const labels = new Set<string>();
  for (const version of versions) {
    const label = declared[model]?.[version]?.at(-1)?.declaration.positive_label;
    if (label !== undefined) labels.add(labelOf(label) as string);
  }
  if (labels.size > 1) {
    throw badParam(
      'positive',
      `is required: the versions declare different positive labels (${[...labels].join(', ')})`,
    );
  }
  const [label] = labels;
  return label === undefined ? { label: null, source: null } : { label, source: 'declared' };
}

/** The probability a decision gave the positive class: its score, else its confidence. */
export function probabilityOf(row: DecisionOutcomeRow): number | null {
  const p = row.score ?? row.confidence;
  return p !== null && p >= 0 && p <= 1 ? p : null;
}

/** Nearest-rank percentile of sorted values (null when there are none). */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}
