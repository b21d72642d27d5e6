import { cChart, pChart, type BucketCount, type BucketMetric } from '@declog/core';
import {
  badParam,
  currentScope,
  figure,
  numberParam,
  percent,
  timeParam,
  type AnalysisParams,
} from './analysis-params.js';
import type { AnalysisDeps } from './analysis-deps.js';

export const ANOMALY_PARAMS = [
  'model',
  'version',
  'from',
  'to',
  'metric',
  'bucket',
  'baseline_from',
  'baseline_to',
  'k',
] as const;

const BUCKETS = { hour: 3_600_000, day: 86_400_000 } as const;
const RATES = {
  escalation_rate: { kind: 'action', action: 'escalation' },
  override_rate: { kind: 'action', action: 'override' },
  human_review_rate: { kind: 'action', action: 'human_review' },
  failure_rate: { kind: 'failure' },
} as const satisfies Record<string, BucketMetric>;
/** Default baseline: this many buckets before `from`. */
const BASELINE_BUCKETS = 14;
/** At most this many buckets in one chart. */
const MAX_BUCKETS = 10_000;

/** `GET /v1/analyses/anomalies`: see docs/analytics.md#anomalies. */
export async function anomalyAnalysis(deps: AnalysisDeps, params: AnalysisParams) {
  const scope = currentScope(params);
  const metricName = params['metric'];
  const metric = metricOf(metricName);
  const bucketName = params['bucket'] ?? 'day';
  if (!(bucketName in BUCKETS)) throw badParam('bucket', 'must be hour or day');
  const width = BUCKETS[bucketName as keyof typeof BUCKETS];
  const k = numberParam(params, 'k', 3, { min: 0.5, max: 10 });
  if (scope.fromMs === undefined)
    throw badParam('from', 'is required: the start of the window to watch');
  const from = floor(scope.fromMs, width);
  const to = scope.toMs ?? deps.nowMs;
  const baselineFrom = floor(
    timeParam(params, 'baseline_from') ?? from - BASELINE_BUCKETS * width,
    width,
  );
  const baselineTo = floor(timeParam(params, 'baseline_to') ?? from, width);
  if (baselineFrom >= baselineTo)
    throw badParam('baseline_to', 'must be at least one bucket after baseline_from');
  if (baselineTo > from)
    throw badParam(
      'baseline_to',
      'must not be after from: the baseline comes before the watched window',
    );
  if ((to - baselineFrom) / width > MAX_BUCKETS) {
    throw badParam(
      'bucket',
      `makes more than ${MAX_BUCKETS} buckets; use day, or a shorter window`,
    );
  }
  const [baseline, current] = await Promise.all([
    deps.store.bucketCounts({ ...scope, fromMs: baselineFrom, toMs: baselineTo }, width, metric),
    deps.store.bucketCounts({ ...scope, fromMs: from, toMs: to }, width, metric),
  ]);
  const fill = (counts: readonly BucketCount[], start: number, end: number) => {
    const byStart = new Map(counts.map((c) => [c.startMs, c]));
    const out: BucketCount[] = [];
    for (let t = start; t < end; t += width)
      out.push(byStart.get(t) ?? { startMs: t, events: 0, total: 0 });
    return out;
  };
  const base = fill(baseline, baselineFrom, baselineTo);
  const watched = fill(current, from, to);
  const isRate = metric.kind === 'action' || metric.kind === 'failure';
  const answer = {
    model: scope.model,
    metric: metricName,
    bucket: bucketName,
    baseline: { from: iso(baselineFrom), to: iso(baselineTo), buckets: base.length },
    method: isRate
      ? `p-chart: limits p0 ± ${k}·sqrt(p0(1 − p0)/n) around the pooled baseline rate p0; p-value the exact binomial upper tail`
      : `c-chart: limits μ0 ± ${k}·sqrt(μ0) around the baseline mean count μ0; p-value the Poisson upper tail`,
    k,
  };
  const findings: string[] = [];
  const label = metricName as string;
  if (isRate) {
    // Buckets without decisions (or without outcomes, for failures) have no rate.
    const baseRated = base.filter((b) => b.total > 0);
    const rated = watched.filter((b) => b.total > 0);
    if (baseRated.reduce((a, b) => a + b.total, 0) === 0) {
      return {
        ...answer,
        p0: null,
        points: [],
        anomalies: [],
        findings: [
          `No verdict: the baseline window holds no decisions${metric.kind === 'failure' ? ' with an outcome' : ''} to set the expected ${label} from.`,
        ],
      };
    }
    if (rated.length === 0) {
      return {
        ...answer,
        p0: null,
        points: [],
        anomalies: [],
        findings: [
          `No verdict: the window holds no decisions${metric.kind === 'failure' ? ' with an outcome' : ''}.`,
        ],
      };
    }
    const chart = pChart(
      [...baseRated, ...rated].map((b) => b.events),
      [...baseRated, ...rated].map((b) => b.total),
      { baseline: baseRated.length, k },
    );
    const points = chart.points.map((p, i) => {
      const bucket = rated[i] as BucketCount;
      // Only a rate above the limit is an anomaly worth raising; a drop is shown by its limits.
      return {
        bucket: iso(bucket.startMs),
        value: p.rate,
        events: bucket.events,
        total: bucket.total,
        lower: p.lcl,
        upper: p.ucl,
        pvalue: p.pvalue,
        anomaly: p.rate > p.ucl,
        ewma: p.ewma,
        ewma_flag: p.ewmaFlag,
      };
    });
    const anomalies = points.filter((p) => p.anomaly);
    for (const a of anomalies) {
      findings.push(
        `${label} spiked in the ${bucketName} from ${a.bucket}: ${percent(a.value)} of ${a.total} decisions, above the upper limit ${percent(a.upper)} (baseline ${percent(chart.p0)}; p = ${a.pvalue.toExponential(2)}).`,
      );
    }
    return { ...answer, p0: chart.p0, points, anomalies, findings };
  }
  const baseCounts = base.map((b) => b.events);
  if (baseCounts.every((c) => c === 0)) {
    return {
      ...answer,
      mu0: null,
      points: [],
      anomalies: [],
      findings: [
        `No verdict: the baseline window holds no ${metric.kind === 'reason' ? `decisions citing ${metric.code}` : 'decisions'}.`,
      ],
    };
  }
  const chart = cChart([...baseCounts, ...watched.map((b) => b.events)], {
    baseline: base.length,
    k,
  });
  const points = chart.points.map((p, i) => ({
    bucket: iso((watched[i] as BucketCount).startMs),
    value: p.count,
    lower: p.lcl,
    upper: p.ucl,
    pvalue: p.pvalue,
    anomaly: p.flag,
  }));
  const anomalies = points.filter((p) => p.anomaly);
  for (const a of anomalies) {
    const direction = a.value > a.upper ? 'above the upper' : 'below the lower';
    findings.push(
      `${label} was ${figure(a.value)} in the ${bucketName} from ${a.bucket}, ${direction} limit (${figure(a.lower)} to ${figure(a.upper)}; baseline mean ${figure(chart.mu0)}).`,
    );
  }
  return { ...answer, mu0: chart.mu0, points, anomalies, findings };
}

function metricOf(name: string | undefined): BucketMetric {
  if (name === undefined)
    throw badParam(
      'metric',
      `is required: one of ${[...Object.keys(RATES), 'volume', 'reason:CODE'].join(', ')}`,
    );
  if (name in RATES) return RATES[name as keyof typeof RATES];
  if (name === 'volume') return { kind: 'volume' };
  if (name.startsWith('reason:') && name.length > 'reason:'.length && name.length <= 135) {
    return { kind: 'reason', code: name.slice('reason:'.length) };
  }
  throw badParam(
    'metric',
    `must be one of ${[...Object.keys(RATES), 'volume', 'reason:CODE'].join(', ')}`,
  );
}

const floor = (ms: number, width: number) => ms - (((ms % width) + width) % width);
const iso = (ms: number) => new Date(ms).toISOString();
