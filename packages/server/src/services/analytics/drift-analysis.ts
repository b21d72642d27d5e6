import {
  chiSquare,
  jensenShannon,
  ks2samp,
  psi,
  wasserstein,
  type AnalyticsScope,
  type CountedValue,
  type ValueCount,
} from '@declog/core';
import {
  badParam,
  currentScope,
  figure,
  listParam,
  numberParam,
  percent,
  timeParam,
  windowJson,
  type AnalysisParams,
} from './analysis-params.js';
import { readDecisions, sampleValues, type AnalysisDeps, type Sampling } from './analysis-deps.js';

export const DRIFT_PARAMS = [
  'model',
  'version',
  'from',
  'to',
  'reference_from',
  'reference_to',
  'reference_version',
  'stattest',
  'threshold',
  'features',
  'seed',
] as const;

export type DriftMethod = 'ks' | 'psi' | 'wasserstein' | 'chisquare' | 'jensenshannon';
const METHODS: readonly DriftMethod[] = ['ks', 'psi', 'wasserstein', 'chisquare', 'jensenshannon'];

/**
 * Evidently's default thresholds: a p-value below 0.05 (KS, chi-square), or a distance of at
 * least 0.1 (PSI, Wasserstein normed by the reference's standard deviation, Jensen–Shannon).
 */
const THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  psi: 0.1,
  wasserstein: 0.1,
  jensenshannon: 0.1,
};
const BY_PVALUE: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare']);

/** Evidently switches from tests to distances above this many reference values. */
const SMALL_SAMPLE = 1000;

export interface DriftItem {
  readonly field: string;
  readonly method: DriftMethod;
  readonly value: number;
  readonly pvalue: number | null;
  readonly threshold: number;
  readonly drift: boolean;
  /** Whether this method decides the field's drift (Evidently's choice, or the caller's). */
  readonly decisive: boolean;
  readonly reference_count: number;
  readonly current_count: number;
}

/** `GET /v1/analyses/drift`: see docs/analytics.md#drift. */
export async function driftAnalysis(deps: AnalysisDeps, params: AnalysisParams) {
  const current = currentScope(params);
  const reference = referenceScope(params, current);
  const stattest = params['stattest'];
  if (stattest !== undefined && !(METHODS as readonly string[]).includes(stattest)) {
    throw badParam('stattest', `must be one of ${METHODS.join(', ')}`);
  }
  const chosen = stattest as DriftMethod | undefined;
  const threshold =
    params['threshold'] === undefined
      ? undefined
      : numberParam(params, 'threshold', 0, { min: 0, max: 1e6 });
  if (threshold !== undefined && chosen === undefined) {
    throw badParam('threshold', 'needs stattest: the method whose threshold it sets');
  }
  const seed = numberParam(params, 'seed', 1, { min: 0, max: 2 ** 32 - 1, integer: true });
  const featureNames = listParam(params, 'features');

  const [referenceCount, currentCount] = await Promise.all([
    deps.store.countDecisions(reference),
    deps.store.countDecisions(current),
  ]);
  const base = {
    model: current.model,
    reference: {
      count: referenceCount,
      ...windowJson(reference),
      versions: reference.versions ?? null,
    },
    current: { count: currentCount, ...windowJson(current), versions: current.versions ?? null },
    defaults: 'Evidently 0.7: tests up to 1000 reference values, distances above',
  };
  if (referenceCount === 0 || currentCount === 0) {
    const empty = referenceCount === 0 ? 'reference' : 'current';
    return {
      ...base,
      items: [],
      drifted: [],
      sampling: null,
      findings: [
        `No verdict: the ${empty} window holds no decisions of model "${current.model}"; widen it or check the model and version.`,
      ],
    };
  }

  const items: DriftItem[] = [];
  const findings: string[] = [];
  const judge = (
    field: string,
    method: DriftMethod,
    value: number,
    pvalue: number | null,
    decisive: boolean,
    counts: readonly [number, number],
  ) => {
    const limit = method === chosen && threshold !== undefined ? threshold : THRESHOLDS[method];
    const drift = BY_PVALUE.has(method) ? (pvalue ?? 1) < limit : value >= limit;
    items.push({
      field,
      method,
      value,
      pvalue,
      threshold: limit,
      drift,
      decisive,
      reference_count: counts[0],
      current_count: counts[1],
    });
  };
  const decide = (
    field: string,
    options: readonly DriftMethod[],
    small: DriftMethod,
    large: DriftMethod,
    n: number,
  ) => {
    if (chosen !== undefined && options.includes(chosen)) return chosen;
    return n <= SMALL_SAMPLE ? small : large;
  };

  // Numeric: score, confidence and numeric features.
  const numeric = (field: string, ref: readonly number[], cur: readonly number[]) => {
    if (ref.length === 0 || cur.length === 0) return;
    const methods: DriftMethod[] = ['ks', 'psi', 'wasserstein'];
    const decisive = decide(field, methods, 'ks', 'wasserstein', ref.length);
    const counts = [ref.length, cur.length] as const;
    const ks = ks2samp([...ref], [...cur]);
    judge(field, 'ks', ks.statistic, ks.pvalue, decisive === 'ks', counts);
    judge(
      field,
      'psi',
      psi([...ref], [...cur], { featureType: 'numerical' }).value,
      null,
      decisive === 'psi',
      counts,
    );
    const sd = std(ref);
    const distance = wasserstein([...ref], [...cur]);
    // Evidently's wasserstein_distance_norm: the distance in units of the reference's spread.
    judge(
      field,
      'wasserstein',
      sd > 0 ? distance / sd : distance,
      null,
      decisive === 'wasserstein',
      counts,
    );
    const item = items.find((i) => i.field === field && i.decisive);
    if (item?.drift) {
      findings.push(
        `${field} drifted (${describe(item)}): mean ${figure(mean(ref))} in the reference, ${figure(mean(cur))} now.`,
      );
    }
  };
  // Categorical: counts by value.
  const categorical = (
    field: string,
    ref: ReadonlyMap<string, number>,
    cur: ReadonlyMap<string, number>,
    methods: readonly DriftMethod[],
    what: string,
    shareOf: readonly [number, number] = [sum(ref), sum(cur)],
  ) => {
    const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort();
    const refN = sum(ref);
    const curN = sum(cur);
    if (keys.length === 0 || refN === 0 || curN === 0) return;
    const decisive = decide(field, methods, 'chisquare', 'jensenshannon', refN);
    const counts = [refN, curN] as const;
    const refCounts = keys.map((k) => ref.get(k) ?? 0);
    const curCounts = keys.map((k) => cur.get(k) ?? 0);
    if (keys.length >= 2) {
      const chi = chiSquare([refCounts, curCounts]);
      judge(field, 'chisquare', chi.statistic, chi.pvalue, decisive === 'chisquare', counts);
    } else {
      judge(field, 'chisquare', 0, 1, decisive === 'chisquare', counts);
    }
    judge(
      field,
      'jensenshannon',
      jensenShannon(refCounts, curCounts),
      null,
      decisive === 'jensenshannon',
      counts,
    );
    if (methods.includes('psi')) {
      const expand = (m: ReadonlyMap<string, number>) =>
        keys.flatMap((k) => Array<string>(m.get(k) ?? 0).fill(k));
      judge(
        field,
        'psi',
        psi(expand(ref), expand(cur), { featureType: 'categorical' }).value,
        null,
        decisive === 'psi',
        counts,
      );
    }
    const item = items.find((i) => i.field === field && i.decisive);
    if (item?.drift) {
      const moves = keys
        .map((k) => ({
          key: k,
          before: (ref.get(k) ?? 0) / shareOf[0],
          after: (cur.get(k) ?? 0) / shareOf[1],
        }))
        .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
      // The values that moved most: at most three, and none that barely moved.
      const top = Math.abs((moves[0]?.after ?? 0) - (moves[0]?.before ?? 0));
      const moved = moves
        .filter((m, i) => i === 0 || Math.abs(m.after - m.before) >= Math.max(0.02, top / 4))
        .slice(0, 3)
        .map(
          (m) =>
            `${m.key} ${m.after >= m.before ? 'rose' : 'fell'} from ${percent(m.before)} to ${percent(m.after)}`,
        );
      findings.push(`${what} shifted (${describe(item)}): ${moved.join('; ')}.`);
    }
  };

  const numbers = async (column: 'score' | 'confidence') => {
    const [ref, cur] = await Promise.all([
      deps.store.numericValues(reference, column),
      deps.store.numericValues(current, column),
    ]);
    return [sampleValues(ref, seed), sampleValues(cur, seed)] as const;
  };
  const sampling: Record<string, { reference: Sampling; current: Sampling }> = {};
  for (const column of ['score', 'confidence'] as const) {
    const [ref, cur] = await numbers(column);
    sampling[column] = { reference: ref.sampling, current: cur.sampling };
    numeric(column, ref.values, cur.values);
  }
  const counted = async (of: CountedValue) => {
    const [ref, cur] = await Promise.all([
      deps.store.valueCounts(reference, of),
      deps.store.valueCounts(current, of),
    ]);
    return [asMap(ref), asMap(cur)] as const;
  };
  const [refLabels, curLabels] = await counted('label');
  categorical(
    'prediction.label',
    refLabels,
    curLabels,
    ['chisquare', 'jensenshannon', 'psi'],
    'The predicted labels',
  );
  const [refReasons, curReasons] = await counted('reason');
  // Shares of decisions citing each code (a decision may cite several).
  categorical(
    'reasons',
    refReasons,
    curReasons,
    ['chisquare', 'jensenshannon'],
    'The rationale mix',
    [referenceCount, currentCount],
  );
  const [refActions, curActions] = await counted('action');
  categorical(
    'action.kind',
    refActions,
    curActions,
    ['chisquare', 'jensenshannon'],
    'The action mix',
  );

  // Features, read from the decisions themselves (opened where the caller may read them).
  const [refRows, curRows] = await Promise.all([
    readDecisions(deps, reference, seed),
    readDecisions(deps, current, seed),
  ]);
  sampling['features'] = { reference: refRows.sampling, current: curRows.sampling };
  const refFeatures = featureValues(refRows.events);
  const curFeatures = featureValues(curRows.events);
  const names = [...new Set([...refFeatures.keys(), ...curFeatures.keys()])].sort();
  for (const name of featureNames ?? []) {
    if (!names.includes(name)) {
      throw badParam(
        'features',
        `names "${name}", which no decision of either window has (or the caller may not read)`,
      );
    }
  }
  for (const name of featureNames ?? names) {
    const ref = refFeatures.get(name) ?? [];
    const cur = curFeatures.get(name) ?? [];
    const field = `features.${name}`;
    if ([...ref, ...cur].every((v) => typeof v === 'number')) {
      numeric(field, ref as number[], cur as number[]);
    } else {
      categorical(
        field,
        countsOf(ref.map(String)),
        countsOf(cur.map(String)),
        ['chisquare', 'jensenshannon', 'psi'],
        `Feature ${name}`,
      );
    }
  }
  const drifted = [...new Set(items.filter((i) => i.decisive && i.drift).map((i) => i.field))];
  return { ...base, items, drifted, sampling, findings };
}

/** The reference window: its own times, or another version over the same times. */
function referenceScope(params: AnalysisParams, current: AnalyticsScope): AnalyticsScope {
  const fromMs = timeParam(params, 'reference_from');
  const toMs = timeParam(params, 'reference_to');
  const version = listParam(params, 'reference_version');
  if (fromMs === undefined && toMs === undefined && version === undefined) {
    throw badParam(
      'reference_from',
      'is required (with reference_to), unless reference_version is given',
    );
  }
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw badParam('reference_to', 'must be after reference_from');
  }
  if (fromMs !== undefined && current.fromMs !== undefined && fromMs >= current.fromMs) {
    throw badParam(
      'reference_from',
      'must be before from: the reference comes before the current window',
    );
  }
  if (version === undefined && (fromMs === undefined || toMs === undefined)) {
    throw badParam(
      fromMs === undefined ? 'reference_from' : 'reference_to',
      'is required with the other',
    );
  }
  const { model } = current;
  const versions = version ?? current.versions;
  const from = fromMs ?? current.fromMs;
  const to = toMs ?? current.toMs;
  return {
    ...(model === undefined ? {} : { model }),
    ...(versions === undefined ? {} : { versions }),
    ...(from === undefined ? {} : { fromMs: from }),
    ...(to === undefined ? {} : { toMs: to }),
  };
}

function describe(item: DriftItem): string {
  const name = {
    ks: 'Kolmogorov–Smirnov',
    psi: 'PSI',
    wasserstein: 'Wasserstein distance in reference standard deviations',
    chisquare: 'chi-square',
    jensenshannon: 'Jensen–Shannon distance',
  }[item.method];
  return item.pvalue !== null && BY_PVALUE.has(item.method)
    ? `${name} p = ${item.pvalue.toExponential(2)}, threshold ${item.threshold}`
    : `${name} ${figure(item.value)}, threshold ${item.threshold}`;
}

/** Each feature's values in `input.features` (nulls and nested values left out). */
function featureValues(
  events: readonly Record<string, unknown>[],
): Map<string, (number | string)[]> {
  const out = new Map<string, (number | string)[]>();
  for (const event of events) {
    const input = event['input'];
    const features = isRecord(input) ? input['features'] : undefined;
    if (!isRecord(features)) continue;
    for (const [name, value] of Object.entries(features)) {
      if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean')
        continue;
      if (typeof value === 'number' && !Number.isFinite(value)) continue;
      let list = out.get(name);
      if (!list) out.set(name, (list = []));
      list.push(typeof value === 'boolean' ? String(value) : value);
    }
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asMap = (counts: readonly ValueCount[]) => new Map(counts.map((c) => [c.value, c.count]));
const countsOf = (values: readonly string[]) => {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return map;
};
const sum = (map: ReadonlyMap<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const std = (values: readonly number[]) => {
  const mu = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - mu) ** 2, 0) / values.length);
};
