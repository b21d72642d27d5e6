import { mulberry32, seedFor } from './_prng.mjs';

/** The first instant of the generated history; decisions spread over SPAN_MS after it. */
export const START_MS = Date.parse('2026-10-28T00:00:00.000Z');
export const SPAN_MS = 30 * 24 * 60 * 60 * 1000;

export const MODELS = [
  {
    name: 'credit-risk',
    versions: ['3.1.0', '3.2.0', '4.0.0'],
    labels: ['approve', 'decline', 'review'],
  },
  {
    name: 'fraud-screen',
    versions: ['2024.11', '2025.02', '2025.06'],
    labels: ['allow', 'block', 'step_up'],
  },
  { name: 'churn-propensity', versions: ['1.8.2', '1.9.0', '2.0.0'], labels: ['retain', 'ignore'] },
  {
    name: 'claims-triage',
    versions: ['0.9.4', '1.0.0', '1.1.0'],
    labels: ['fast_track', 'adjuster', 'siu'],
  },
  {
    name: 'content-moderation',
    versions: ['7.2', '7.3', '8.0'],
    labels: ['keep', 'remove', 'escalate'],
  },
];

const REASONS = [
  'income_verified',
  'debt_to_income_high',
  'short_credit_history',
  'recent_delinquency',
  'device_mismatch',
  'velocity_spike',
  'geo_anomaly',
  'known_good_customer',
  'tenure_long',
  'usage_declining',
  'support_tickets_high',
  'price_sensitive',
  'claim_amount_high',
  'prior_claims',
  'policy_recent',
  'toxicity_score_high',
  'spam_pattern',
  'reported_by_users',
  'low_risk_segment',
  'manual_rule_hit',
];

const SUBJECTS = ['applicant', 'customer', 'account holder', 'claimant', 'member'];
const VERBS = ['shows', 'has', 'presents', 'exhibits', 'reports'];
const TRAITS = [
  'a stable income for two years',
  'a high debt-to-income ratio for the segment',
  'a short but clean repayment history',
  'unusual login activity from a new device',
  'a sharp drop in weekly engagement',
  'a claim amount well above the policy average',
  'several prior claims in the lookback window',
  'content matching a known spam template',
];
const OUTCOMES = [
  'so the default path applies.',
  'which outweighs the positive signals.',
  'and no overriding policy rule applied.',
  'so a closer look is needed.',
];
const CHANNELS = ['web', 'mobile', 'branch', 'partner_api', 'batch'];
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south'];
const TEAMS = ['risk', 'growth', 'trust', 'claims', 'ops'];

const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const hex = (rng, digits) => {
  let text = '';
  for (let i = 0; i < digits; i += 1) text += Math.floor(rng() * 16).toString(16);
  return text;
};
const round = (x, places) => Math.round(x * 10 ** places) / 10 ** places;

/** When decision `index` of `count` occurred: in order over SPAN_MS, up to 5 minutes late. */
function occurredMs(rng, index, count) {
  return START_MS + Math.floor((index * SPAN_MS) / count + rng() * 300_000);
}

/** A UUIDv7-shaped id (time-ordered, as many producers now mint them). */
function uuidV7(rng, ms) {
  const t = ms.toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(rng() * 4)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(rng, 3)}-${variant}${hex(rng, 3)}-${hex(rng, 12)}`;
}

/**
 * Decision `index` of a `count`-decision history, always the same for the same arguments and
 * about 600 bytes of JSON: one of 5 models x 3 versions, 1-4 reasons, a 100-200 character
 * summary, a handful of features, a subject, context and labels.
 */
export function decisionEvent(index, count, seed = 1) {
  const rng = mulberry32(seedFor(seed, index));
  const ms = occurredMs(rng, index, count);
  const id = uuidV7(rng, ms);
  const model = pick(rng, MODELS);
  const version = pick(rng, model.versions);
  const score = round(rng(), 3);
  const reasons = [];
  // Most decisions cite one or two reasons, a few cite four.
  const reasonCount = 1 + Math.floor(rng() ** 2 * 4);
  for (let i = 0; i < reasonCount; i += 1) {
    reasons.push({ code: pick(rng, REASONS), weight: round(rng() * 2 - 1, 2) });
  }
  const summary = `The ${pick(rng, SUBJECTS)} ${pick(rng, VERBS)} ${pick(rng, TRAITS)} and ${pick(rng, TRAITS)}, ${pick(rng, OUTCOMES)}`;
  return {
    id,
    type: 'decision',
    occurred_at: new Date(ms).toISOString(),
    model: { name: model.name, version },
    prediction: { label: pick(rng, model.labels), score },
    confidence: round(0.5 + rng() / 2, 3),
    rationale: { summary, reasons },
    input: {
      features: {
        amount: round(rng() * 20_000, 2),
        tenure_months: Math.floor(rng() * 240),
      },
    },
    subject: { id: `cust-${String(Math.floor(rng() * 200_000)).padStart(6, '0')}` },
    context: { channel: pick(rng, CHANNELS) },
    labels: { team: pick(rng, TEAMS), region: pick(rng, REGIONS) },
  };
}

/** The id of decision `index`, for picking existing decisions at random. */
export function decisionId(index, count, seed = 1) {
  return decisionEvent(index, count, seed).id;
}
