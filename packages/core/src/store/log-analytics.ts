import type { StoredRow } from './event-store.js';

/**
 * What the analyses read from a log (drift, performance, fairness, anomalies, data quality, the
 * model inventory). Aggregates are computed by the store, in SQL over its decision index and the
 * analyses' columns (see DecisionFacts); values an analysis must see one by one (scores, the
 * rows of a performance or fairness analysis, the leaves whose features and cohort it opens)
 * are read for the decisions of a scope. Reads bring a lagging index up to the log first.
 */
export interface LogAnalytics {
  /** Every (model, version) that decided in the scope, by model then version. */
  modelUsage(scope: AnalyticsScope): Promise<readonly ModelUsage[]>;
  countDecisions(scope: AnalyticsScope): Promise<number>;
  /**
   * How many decisions have each predicted label (`label`), cite each reason code (`reason`: a
   * decision counts once per code), and how many actions of each kind are stored for them
   * (`action`); by value.
   */
  valueCounts(scope: AnalyticsScope, of: CountedValue): Promise<readonly ValueCount[]>;
  /** The decisions' scores or confidences, those that have one, in seq order. */
  numericValues(scope: AnalyticsScope, column: 'score' | 'confidence'): Promise<readonly number[]>;
  /** The decisions with their actions and latest outcome, in seq order. */
  decisionOutcomes(scope: AnalyticsScope): Promise<readonly DecisionOutcomeRow[]>;
  /** Counts per bucket of `bucketMs` by decision time; only buckets with decisions. */
  bucketCounts(
    scope: AnalyticsScope,
    bucketMs: number,
    metric: BucketMetric,
  ): Promise<readonly BucketCount[]>;
  /** How many decisions of each model have each optional field (see DECISION_FIELDS). */
  fieldCounts(scope: AnalyticsScope): Promise<readonly FieldCounts[]>;
  /** Which reason codes each version's decisions cite. */
  reasonUse(scope: AnalyticsScope): Promise<readonly ReasonUse[]>;
  /** How many entries fail a data-quality check, with the ids of the first `limit`. */
  qualityCheck(
    scope: AnalyticsScope,
    check: QualityCheck,
    limit: number,
  ): Promise<CountWithExamples>;
  /** The seqs of the scope's decisions, ascending (to draw a sample from). */
  decisionSeqs(scope: AnalyticsScope): Promise<readonly number[]>;
  /** The live decisions at these seqs, as stored, in seq order. */
  decisionRowsAt(seqs: readonly number[]): Promise<readonly StoredRow[]>;
}

/**
 * The decisions an analysis reads: of one model (or all), of some versions (empty or absent:
 * all), that occurred in `[fromMs, toMs)` (or at any time).
 */
export interface AnalyticsScope {
  readonly model?: string;
  readonly versions?: readonly string[];
  readonly fromMs?: number;
  readonly toMs?: number;
}

export type CountedValue = 'label' | 'reason' | 'action';

export interface ValueCount {
  readonly value: string;
  readonly count: number;
}

export interface CountWithExamples {
  readonly count: number;
  /** Ids of the first entries (in seq order). */
  readonly examples: readonly string[];
}

/** A model version as the log knows it. */
export interface ModelUsage {
  readonly model: string;
  readonly version: string;
  readonly decisions: number;
  /** The earliest and latest `occurred_at` of its decisions (ms). */
  readonly firstMs: number;
  readonly lastMs: number;
  /** Actions and outcomes stored for its decisions. */
  readonly actions: number;
  readonly outcomes: number;
}

/** A decision's latest outcome (by `occurred_at`, then seq). */
export interface LatestOutcome {
  readonly label: string | null;
  readonly status: string;
  readonly occurredMs: number;
}

/** A decision with what the performance and fairness analyses weigh. */
export interface DecisionOutcomeRow {
  readonly seq: number;
  readonly id: string;
  readonly version: string;
  readonly occurredMs: number;
  readonly label: string | null;
  readonly score: number | null;
  readonly confidence: number | null;
  /** The kinds of the actions stored for it. */
  readonly actions: readonly string[];
  readonly outcome: LatestOutcome | null;
}

/** What an anomaly chart counts per bucket. */
export type BucketMetric =
  | { readonly kind: 'action'; readonly action: string }
  | { readonly kind: 'failure' }
  | { readonly kind: 'volume' }
  | { readonly kind: 'reason'; readonly code: string };

/**
 * One bucket: for `action`, the decisions with an action of that kind (`events`) out of all
 * (`total`); for `failure`, those whose latest outcome failed out of those with an outcome; for
 * `volume`, all decisions (both); for `reason`, those citing the code out of all.
 */
export interface BucketCount {
  /** The bucket's start (ms), a multiple of its width. */
  readonly startMs: number;
  readonly events: number;
  readonly total: number;
}

export interface FieldCounts {
  readonly model: string;
  readonly decisions: number;
  /** Per bit of DecisionFacts.fields (DECISION_FIELDS order), how many decisions have it. */
  readonly present: readonly number[];
}

export interface ReasonUse {
  readonly model: string;
  readonly version: string;
  readonly code: string;
  readonly decisions: number;
}

/**
 * A data-quality check. `orphans`: actions, outcomes or annotations of the window (by their own
 * `occurred_at`, scope's model and versions ignored) that occurred before `beforeMs` and name a
 * decision the log does not hold. `without_action` / `without_outcome`: the scope's decisions
 * that occurred before `beforeMs` with none. `outcome_before_decision`: outcomes of the scope's
 * decisions dated before them (examples: outcome ids). `citing`: decisions citing any of
 * `codes`. `decisions`: the scope's decisions.
 */
export type QualityCheck =
  | {
      readonly kind: 'orphans';
      readonly type: 'action' | 'outcome' | 'annotation';
      readonly beforeMs: number;
    }
  | { readonly kind: 'without_action'; readonly beforeMs: number }
  | { readonly kind: 'without_outcome'; readonly beforeMs: number }
  | { readonly kind: 'outcome_before_decision' }
  | { readonly kind: 'citing'; readonly codes: readonly string[] }
  | { readonly kind: 'decisions' };
