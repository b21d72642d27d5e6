import { fairnessMetrics, seededSample, type DecisionOutcomeRow } from '@declog/core';
import {
  badParam,
  currentScope,
  listParam,
  numberParam,
  percent,
  windowJson,
  type AnalysisParams,
} from './analysis-params.js';
import { MAX_VALUES, type AnalysisDeps } from './analysis-deps.js';
import { positiveLabel } from './outcome-rows.js';

export const FAIRNESS_PARAMS = [
  'model',
  'version',
  'from',
  'to',
  'cohort',
  'selected',
  'positive',
  'min_group',
  'seed',
] as const;

/** The four-fifths rule (29 CFR 1607.4(D)): a group selected at under 80% of the highest rate. */
const FOUR_FIFTHS = 0.8;

/** `GET /v1/analyses/fairness`: see docs/analytics.md#fairness. */
export async function fairnessAnalysis(deps: AnalysisDeps, params: AnalysisParams) {
  const scope = currentScope(params);
  const model = scope.model as string;
  const cohort = params['cohort'];
  if (cohort === undefined || cohort === '')
    throw badParam('cohort', 'is required: the cohort attribute to compare groups by');
  const selected = listParam(params, 'selected');
  const minGroup = numberParam(params, 'min_group', 30, { min: 1, max: 1_000_000, integer: true });
  const seed = numberParam(params, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });

  const all = await deps.store.decisionOutcomes(scope);
  const rows = seededSample(all, MAX_VALUES, seed);
  const sampling = {
    population: all.length,
    size: rows.length,
    seed: rows.length < all.length ? seed : null,
  };
  const declared = await deps.registry.declared(deps.tenant);
  const versions = scope.versions ?? [...new Set(rows.map((r) => r.version))];
  const positive = positiveLabel(params, declared, model, versions);
  if (selected === undefined && positive.label === null && rows.length > 0) {
    throw badParam(
      'selected',
      'is required: no positive label is declared or given (positive=) to count as selected',
    );
  }
  // The cohort of each decision, read from the decisions as the caller may see them.
  const cohorts = await cohortsOf(deps, rows, cohort);
  const base = {
    model,
    ...windowJson(scope),
    cohort,
    selected: selected ?? null,
    positive_label: positive.label,
    min_group: minGroup,
    four_fifths_threshold: FOUR_FIFTHS,
    sampling,
  };
  if (rows.length === 0) {
    return {
      ...base,
      decisions: 0,
      without_cohort: 0,
      metrics: null,
      verdicts: {},
      findings: [`No verdict: no decisions of model "${model}" in this window.`],
    };
  }
  const kept = rows.filter((r) => cohorts.has(r.seq));
  if (kept.length === 0) {
    return {
      ...base,
      decisions: rows.length,
      without_cohort: rows.length,
      metrics: null,
      verdicts: {},
      findings: [
        `No verdict: none of the ${rows.length} decisions in this window has the cohort attribute "${cohort}" (or the caller may not read it); check its spelling.`,
      ],
    };
  }
  const isSelected = (r: DecisionOutcomeRow) =>
    selected === undefined
      ? r.label === positive.label
      : selected.some((s) => r.actions.includes(s) || r.label === s);
  const yPred = kept.map((r) => (isSelected(r) ? 1 : 0) as 0 | 1);
  const yTrue = kept.map((r) =>
    r.outcome?.label == null || positive.label === null
      ? null
      : ((r.outcome.label === positive.label ? 1 : 0) as 0 | 1),
  );
  const groups = kept.map((r) => cohorts.get(r.seq) as string);
  const metrics = fairnessMetrics(yTrue, yPred, groups);
  // The four-fifths rule among the groups large enough for a verdict.
  const large = metrics.groups.filter((g) => (metrics.groupSizes[g] ?? 0) >= minGroup);
  const best = Math.max(0, ...large.map((g) => metrics.selectionRate.byGroup[g] ?? 0));
  const verdicts: Record<string, 'ok' | 'disparity' | 'too_small'> = {};
  const impact: Record<string, number | null> = {};
  const findings: string[] = [];
  for (const group of metrics.groups) {
    const rate = metrics.selectionRate.byGroup[group] ?? 0;
    const ratio = best > 0 ? rate / best : null;
    impact[group] = ratio;
    if ((metrics.groupSizes[group] ?? 0) < minGroup) verdicts[group] = 'too_small';
    else verdicts[group] = ratio !== null && ratio < FOUR_FIFTHS ? 'disparity' : 'ok';
    if (verdicts[group] === 'disparity') {
      findings.push(
        `${cohort} = ${group} is selected at ${percent(rate)}, ${percent(ratio ?? 0)} of the highest group's rate (${percent(best)}): below the four-fifths rule (${metrics.groupSizes[group]} decisions).`,
      );
    }
  }
  const small = metrics.groups.filter((g) => verdicts[g] === 'too_small');
  if (small.length > 0) {
    findings.push(
      `No verdict for ${small.map((g) => `${cohort} = ${g}`).join(', ')}: fewer than ${minGroup} decisions each.`,
    );
  }
  if (large.length < 2)
    findings.push(`No comparison: fewer than two groups have ${minGroup} decisions or more.`);
  return {
    ...base,
    decisions: rows.length,
    without_cohort: rows.length - kept.length,
    metrics,
    impact_ratio: impact,
    verdicts,
    findings,
  };
}

/** Each decision's value of the cohort attribute (absent where it has none, or it is sealed from the caller). */
async function cohortsOf(
  deps: AnalysisDeps,
  rows: readonly DecisionOutcomeRow[],
  attribute: string,
): Promise<Map<number, string>> {
  const stored = await deps.store.decisionRowsAt(rows.map((r) => r.seq));
  const texts = await deps.reveal(stored);
  const out = new Map<number, string>();
  texts.forEach((text, i) => {
    const event = JSON.parse(text) as { cohort?: Record<string, unknown> };
    const value = event.cohort?.[attribute];
    const seq = stored[i]?.seq;
    if (typeof value === 'string' && seq !== undefined) out.set(seq, value);
  });
  return out;
}
