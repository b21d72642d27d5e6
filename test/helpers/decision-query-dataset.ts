import type { ActionKind, OutcomeStatus } from './event-factory.js';

/**
 * A small data set for `GET /v1/decisions` with a reference answer for every filter: each
 * filter must narrow it, ties on occurred_at and times with offsets test the ordering.
 */

/** A decision of the query data set with the actions and outcomes that point at it. */
export interface Seed {
  readonly key: string;
  readonly at: string;
  readonly model: string;
  readonly version: string;
  readonly reasons: readonly string[];
  readonly subject?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly kinds: readonly ActionKind[];
  readonly statuses: readonly OutcomeStatus[];
  /** Send the actions and outcomes before the decision. */
  readonly linkFirst?: boolean;
}

export const SEEDS: readonly Seed[] = [
  {
    key: 'q01',
    at: '2026-01-05T10:00:00Z',
    model: 'credit',
    version: '1.0',
    reasons: ['income_ratio'],
    subject: 's-1',
    labels: { team: 'risk', region: 'eu' },
    summary: 'Income ratio above threshold',
    kinds: ['automated'],
    statuses: ['success'],
  },
  {
    key: 'q02',
    at: '2026-01-05T10:00:00Z',
    model: 'credit',
    version: '1.0',
    reasons: ['debt_load'],
    subject: 's-2',
    labels: { team: 'risk', region: 'us' },
    summary: 'Debt load too high for the income',
    kinds: ['human_review'],
    statuses: ['failure'],
  },
  {
    key: 'q03',
    at: '2026-01-06T00:30:00+02:00',
    model: 'credit',
    version: '2.0',
    reasons: ['income_ratio', 'tenure'],
    subject: 's-1',
    labels: { team: 'growth', region: 'eu' },
    summary: 'Long tenure and stable income',
    kinds: ['automated', 'override'],
    statuses: ['success'],
  },
  {
    key: 'q04',
    at: '2026-01-07T08:00:00Z',
    model: 'fraud',
    version: '0.9',
    reasons: ['velocity'],
    subject: 's-3',
    labels: { team: 'fraud' },
    summary: 'Transaction velocity spike detected',
    kinds: ['escalation'],
    statuses: ['neutral'],
  },
  {
    key: 'q05',
    at: '2026-01-08T08:00:00Z',
    model: 'fraud',
    version: '1.0',
    reasons: ['velocity', 'geo_mismatch'],
    subject: 's-4',
    labels: { team: 'fraud', region: 'eu' },
    summary: 'Velocity normal but geo mismatch',
    kinds: [],
    statuses: ['unknown'],
  },
  {
    key: 'q06',
    at: '2026-01-09T12:00:00-05:00',
    model: 'credit',
    version: '1.0',
    reasons: [],
    labels: { team: 'risk' },
    summary: 'Manual approval after review of income',
    kinds: ['recommendation'],
    statuses: [],
  },
  {
    key: 'q07',
    at: '2026-01-10T00:00:00Z',
    model: 'churn',
    version: '3.1',
    reasons: ['tenure'],
    subject: 's-5',
    labels: {},
    summary: 'Customer tenure short',
    kinds: [],
    statuses: [],
  },
  {
    key: 'q08',
    at: '2026-01-10T00:00:00.500Z',
    model: 'churn',
    version: '3.1',
    reasons: ['usage_drop'],
    subject: 's-5',
    labels: { team: 'growth' },
    summary: 'Usage drop in the last month',
    kinds: ['other'],
    statuses: ['failure', 'success'],
  },
  {
    key: 'q09',
    at: '2026-01-11T09:00:00Z',
    model: 'credit',
    version: '2.0',
    reasons: ['debt_load'],
    subject: 's-2',
    labels: { team: 'risk', region: 'eu' },
    summary: 'Debt ratio acceptable after restructuring',
    kinds: ['override'],
    statuses: ['success'],
    linkFirst: true,
  },
  {
    key: 'q10',
    at: '2026-01-12T23:59:59.999Z',
    model: 'fraud',
    version: '1.0',
    reasons: ['geo_mismatch'],
    subject: 's-3',
    labels: { team: 'fraud', region: 'us' },
    summary: 'Geo mismatch explained by travel',
    kinds: ['human_review'],
    statuses: ['neutral'],
  },
  {
    key: 'q11',
    at: '2026-01-05T10:00:00Z',
    model: 'credit',
    version: '1.0',
    reasons: ['income_ratio'],
    subject: 's-6',
    labels: { team: 'risk', region: 'eu' },
    summary: 'Ratio of income to rent fine',
    kinds: ['automated'],
    statuses: ['failure'],
  },
];

function wordsOf(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
}

/** The reference answer: does `seed` match every parameter of `query`? */
export function matches(seed: Seed, query: readonly (readonly [string, string])[]): boolean {
  const at = Date.parse(seed.at);
  return query.every(([name, value]) => {
    if (name.startsWith('label.')) return seed.labels[name.slice(6)] === value;
    switch (name) {
      case 'model':
        return seed.model === value;
      case 'model_version':
        return seed.version === value;
      case 'from':
        return at >= Date.parse(value);
      case 'to':
        return at < Date.parse(value);
      case 'reason':
        return seed.reasons.includes(value);
      case 'action_kind':
        return seed.kinds.includes(value as ActionKind);
      case 'outcome_status':
        return seed.statuses.includes(value as OutcomeStatus);
      case 'subject':
        return seed.subject === value;
      case 'q':
        return wordsOf(value).every((w) => wordsOf(seed.summary).includes(w));
      default:
        throw new Error(`no reference for ${name}`);
    }
  });
}

/** Filters to try alone. */
export const SINGLE_FILTERS: readonly (readonly [string, string])[] = [
  ['model', 'credit'],
  ['model', 'fraud'],
  ['model_version', '1.0'],
  ['from', '2026-01-08T08:00:00Z'],
  ['from', '2026-01-06T00:30:00+02:00'],
  ['to', '2026-01-10T00:00:00Z'],
  ['to', '2026-01-05T12:00:00.001+02:00'],
  ['reason', 'income_ratio'],
  ['reason', 'geo_mismatch'],
  ['action_kind', 'override'],
  ['action_kind', 'human_review'],
  ['outcome_status', 'failure'],
  ['outcome_status', 'success'],
  ['subject', 's-5'],
  ['label.team', 'risk'],
  ['label.region', 'eu'],
  ['q', 'income'],
  ['q', 'INCOME ratio'],
  ['q', 'geo, mismatch!'],
];

/** Combinations in which every filter narrows the answer further. */
export const COMBINED_FILTERS: readonly (readonly (readonly [string, string])[])[] = [
  [
    ['model', 'credit'],
    ['label.region', 'eu'],
  ],
  [
    ['model', 'fraud'],
    ['model_version', '1.0'],
  ],
  [
    ['from', '2026-01-06T00:30:00+02:00'],
    ['to', '2026-01-10T00:00:00.500Z'],
    ['model', 'churn'],
  ],
  [
    ['action_kind', 'human_review'],
    ['outcome_status', 'failure'],
  ],
  [
    ['q', 'income'],
    ['label.region', 'eu'],
  ],
  [
    ['label.team', 'fraud'],
    ['label.region', 'us'],
  ],
  [
    ['model', 'fraud'],
    ['outcome_status', 'neutral'],
    ['from', '2026-01-08T00:00:00Z'],
  ],
  [
    ['action_kind', 'automated'],
    ['outcome_status', 'success'],
  ],
  [
    ['model', 'credit'],
    ['model_version', '1.0'],
    ['from', '2026-01-01T00:00:00Z'],
    ['to', '2026-01-06T00:00:00Z'],
    ['reason', 'income_ratio'],
    ['action_kind', 'automated'],
    ['outcome_status', 'success'],
    ['subject', 's-1'],
    ['label.team', 'risk'],
    ['label.region', 'eu'],
    ['q', 'income'],
  ],
];
