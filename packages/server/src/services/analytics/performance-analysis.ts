import { classificationMetrics, delongAuc, type DecisionOutcomeRow } from '@declog/core';
import {
  badParam,
  currentScope,
  figure,
  numberParam,
  percent,
  windowJson,
  type AnalysisParams,
} from './analysis-params.js';
import type { AnalysisDeps } from './analysis-deps.js';
import { percentile, positiveLabel, probabilityOf } from './outcome-rows.js';

export const PERFORMANCE_PARAMS = [
  'model',
  'version',
  'from',
  'to',
  'positive',
  'threshold',
] as const;

/** Fewer labelled outcomes than this and a version's metrics get no verdict. */
const MIN_OUTCOMES = 30;
/** z of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** `GET /v1/analyses/performance`: see docs/analytics.md#performance. */
export async function performanceAnalysis(deps: AnalysisDeps, params: AnalysisParams) {
  const scope = currentScope(params);
  const model = scope.model as string;
  const threshold = numberParam(params, 'threshold', 0.5, { min: 0, max: 1 });
  const rows = await deps.store.decisionOutcomes(scope);
  const byVersion = new Map<string, DecisionOutcomeRow[]>();
  for (const row of rows) {
    let list = byVersion.get(row.version);
    if (!list) byVersion.set(row.version, (list = []));
    list.push(row);
  }
  const order =
    scope.versions ??
    [...byVersion.keys()].sort((a, b) => firstMs(byVersion.get(a)) - firstMs(byVersion.get(b)));
  const declared = await deps.registry.declared(deps.tenant);
  const positive = positiveLabel(params, declared, model, order);
  const findings: string[] = [];
  if (rows.length === 0) {
    findings.push(`No verdict: no decisions of model "${model}" in this window.`);
  } else if (positive.label === null) {
    throw badParam(
      'positive',
      'is required: no positive label is declared for these versions (PUT /v1/models/{name}/versions/{version})',
    );
  }
  const versions = order.map((version) => {
    const list = byVersion.get(version) ?? [];
    const labelled = list.filter((r) => r.outcome?.label != null);
    const scored = labelled.flatMap((r) => {
      const p = probabilityOf(r);
      return p === null ? [] : [{ y: (r.outcome?.label === positive.label ? 1 : 0) as 0 | 1, p }];
    });
    const delays = list
      .flatMap((r) => (r.outcome ? [(r.outcome.occurredMs - r.occurredMs) / 1000] : []))
      .sort((a, b) => a - b);
    const metrics =
      scored.length === 0
        ? null
        : classificationMetrics(
            scored.map((s) => s.y),
            scored.map((s) => s.p),
            { threshold },
          );
    const auc =
      scored.length === 0
        ? null
        : delongAuc(
            scored.map((s) => s.y),
            scored.map((s) => s.p),
          );
    const withOutcome = list.filter((r) => r.outcome !== null).length;
    if (list.length > 0 && scored.length < MIN_OUTCOMES) {
      findings.push(
        `Version ${version}: only ${scored.length} decision(s) with a labelled outcome and a score; at least ${MIN_OUTCOMES} are needed for a verdict (${list.length - withOutcome} await their outcome).`,
      );
    }
    return {
      version,
      decisions: list.length,
      with_outcome: withOutcome,
      awaiting_outcome: list.length - withOutcome,
      evaluated: scored.length,
      without_probability: labelled.length - scored.length,
      metrics,
      roc_auc_variance: auc?.variance ?? null,
      outcome_delay_seconds: { p50: percentile(delays, 0.5), p90: percentile(delays, 0.9) },
    };
  });
  const judged = versions.filter((v) => v.evaluated >= MIN_OUTCOMES && v.metrics);
  let comparison = null;
  if (judged.length >= 2) {
    const [baseline, candidate] = judged.slice(-2) as [
      (typeof judged)[number],
      (typeof judged)[number],
    ];
    const b = baseline.metrics as NonNullable<typeof baseline.metrics>;
    const c = candidate.metrics as NonNullable<typeof candidate.metrics>;
    const aucDiff = b.rocAuc !== null && c.rocAuc !== null ? c.rocAuc - b.rocAuc : null;
    const variance =
      baseline.roc_auc_variance !== null && candidate.roc_auc_variance !== null
        ? baseline.roc_auc_variance + candidate.roc_auc_variance
        : null;
    const half = variance === null ? null : Z95 * Math.sqrt(variance);
    const interval =
      aucDiff === null || half === null ? null : { lower: aucDiff - half, upper: aucDiff + half };
    comparison = {
      baseline: baseline.version,
      candidate: candidate.version,
      method: 'DeLong variance of each AUC, the versions independent; 95% interval',
      difference: {
        roc_auc: aucDiff,
        roc_auc_interval: interval,
        accuracy: c.accuracy - b.accuracy,
        brier: c.brier - b.brier,
        f1: b.f1 !== null && c.f1 !== null ? c.f1 - b.f1 : null,
        ece: c.ece - b.ece,
      },
      worse: interval !== null && interval.upper < 0,
      better: interval !== null && interval.lower > 0,
    };
    if (comparison.worse && aucDiff !== null) {
      findings.push(
        `Version ${candidate.version} performs worse than ${baseline.version} now that outcomes arrive: ROC AUC ${figure(c.rocAuc as number)} against ${figure(b.rocAuc as number)} (difference ${figure(aucDiff)}, 95% interval ${figure(interval?.lower ?? 0)} to ${figure(interval?.upper ?? 0)}); accuracy ${percent(c.accuracy)} against ${percent(b.accuracy)}.`,
      );
    } else if (comparison.better && aucDiff !== null) {
      findings.push(
        `Version ${candidate.version} performs better than ${baseline.version}: ROC AUC ${figure(c.rocAuc as number)} against ${figure(b.rocAuc as number)}.`,
      );
    }
  }
  return {
    model,
    ...windowJson(scope),
    positive_label: positive.label,
    positive_label_source: positive.source,
    threshold,
    method:
      'scikit-learn 1.2 metrics of the latest outcome of each decision; probability: prediction.score, else confidence',
    min_outcomes: MIN_OUTCOMES,
    versions,
    comparison,
    findings,
  };
}

const firstMs = (rows: readonly DecisionOutcomeRow[] | undefined) => rows?.[0]?.occurredMs ?? 0;
