// A credit model trained at start-up: logistic regression fitted by gradient descent to a
// generated population of applicants whose true risk follows a hidden rule. Everything is drawn
// from a seeded generator, so the same seed gives the same applicants, model and scores.

/** A small seeded PRNG (mulberry32): a function returning numbers in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/**
 * The features, each with the reason code it gives when it pushes towards repayment (`good`)
 * or towards default (`bad`).
 */
export const FEATURES = [
  { name: 'income_k', good: 'sufficient_income', bad: 'low_income' },
  { name: 'debt_to_income', good: 'low_debt_to_income', bad: 'high_debt_to_income' },
  { name: 'credit_history_years', good: 'long_credit_history', bad: 'short_credit_history' },
  { name: 'late_payments_12m', good: 'no_late_payments', bad: 'recent_late_payments' },
  { name: 'utilization', good: 'low_credit_utilization', bad: 'high_credit_utilization' },
  { name: 'employment_years', good: 'stable_employment', bad: 'short_employment' },
];

/**
 * One applicant. `drift` (0 to 1) shifts the population towards more debt, higher utilisation
 * and lower income: what a recession, or a new marketing channel, does to a lender's applicants.
 */
export function applicant(random, drift = 0) {
  return {
    income_k: round(clamp(Math.exp(3.9 + 0.45 * normal(random) - 0.35 * drift), 8, 400), 1),
    debt_to_income: round(clamp(0.28 + 0.13 * normal(random) + 0.12 * drift, 0, 0.95), 3),
    credit_history_years: round(clamp(9 + 6 * normal(random), 0, 45), 1),
    late_payments_12m: Math.max(
      0,
      Math.round(0.6 * Math.abs(normal(random)) + 1.2 * drift * random() - 0.2),
    ),
    utilization: round(clamp(0.35 + 0.2 * normal(random) + 0.2 * drift, 0, 1), 3),
    employment_years: round(clamp(6 + 5 * normal(random), 0, 40), 1),
    amount: Math.round(clamp(Math.exp(8.6 + 0.6 * normal(random)), 500, 60_000) / 100) * 100,
  };
}

/** The hidden truth: the probability that an applicant repays. */
export function repayProbability(a) {
  const z =
    1.2 +
    0.018 * (a.income_k - 50) -
    6 * (a.debt_to_income - 0.3) +
    0.05 * (a.credit_history_years - 9) -
    0.9 * a.late_payments_12m -
    2.2 * (a.utilization - 0.35) +
    0.04 * (a.employment_years - 6);
  return 1 / (1 + Math.exp(-z));
}

/**
 * Fits logistic regression to `n` generated applicants (labels drawn from the hidden truth) by
 * full-batch gradient descent on standardised features.
 */
export function trainModel({ seed, n = 4000, steps = 400, rate = 0.5 }) {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () => applicant(random));
  const labels = rows.map((row) => (random() < repayProbability(row) ? 1 : 0));
  const means = FEATURES.map(({ name }) => rows.reduce((s, r) => s + r[name], 0) / n);
  const stds = FEATURES.map(({ name }, j) => {
    const variance = rows.reduce((s, r) => s + (r[name] - means[j]) ** 2, 0) / n;
    return Math.sqrt(variance) || 1;
  });
  const standardise = (row) => FEATURES.map(({ name }, j) => (row[name] - means[j]) / stds[j]);
  const xs = rows.map(standardise);
  const weights = FEATURES.map(() => 0);
  let bias = 0;
  for (let step = 0; step < steps; step += 1) {
    const gradient = FEATURES.map(() => 0);
    let gradientBias = 0;
    xs.forEach((x, i) => {
      const p = sigmoid(bias + dot(weights, x));
      const error = p - labels[i];
      for (let j = 0; j < x.length; j += 1) gradient[j] += error * x[j];
      gradientBias += error;
    });
    for (let j = 0; j < weights.length; j += 1) weights[j] -= (rate * gradient[j]) / n;
    bias -= (rate * gradientBias) / n;
  }
  const accuracy =
    xs.filter((x, i) => (sigmoid(bias + dot(weights, x)) >= 0.5 ? 1 : 0) === labels[i]).length / n;
  return {
    name: 'credit-risk',
    version: `lr-${seed}`,
    accuracy,
    /** P(repay) and each feature's contribution to the log-odds. */
    score(row) {
      const x = standardise(row);
      const contributions = FEATURES.map((feature, j) => ({ feature, value: weights[j] * x[j] }));
      return { score: sigmoid(bias + dot(weights, x)), contributions };
    },
  };
}

function sigmoid(z) {
  return 1 / (1 + Math.exp(-z));
}

function dot(a, b) {
  return a.reduce((s, x, i) => s + x * b[i], 0);
}
