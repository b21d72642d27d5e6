// `npm run demo`: fills a running declog server with a realistic week of credit decisions from
// the credit service, with a score drift planted in the last two days and an escalation spike
// on the fourth. Starts nothing itself. Deterministic: the same seed and end date give the same
// events with the same ids, so running it twice stores nothing new (every event a duplicate).
//
//   DECLOG_URL=http://127.0.0.1:7300 DECLOG_API_KEY=... npm run demo
//   npm run demo -- --url http://127.0.0.1:7300 --api-key KEY [--tenant T] [--seed 42]
//                   [--per-day 300] [--end 2026-12-07]
import { parseArgs } from 'node:util';
import { createDecisionLog } from '@declog/sdk';
import { createCreditService } from './credit-service.mjs';
import { applicant, repayProbability, seededRandom, trainModel } from './model.mjs';

const DAY = 24 * 60 * 60 * 1000;
const REGIONS = ['north', 'south', 'east', 'west'];
const UNDERWRITERS = ['ana.silva', 'ben.okafor', 'chloe.martin'];
/** The day (0-6) of the escalation spike, and the days the population drifts. */
export const SPIKE_DAY = 3;
export const DRIFT_DAYS = [5, 6];

/** Logs the week through `log` and returns what was logged, per day and in total. */
export function fillWeek({ log, seed, perDay, endMs }) {
  const model = trainModel({ seed });
  const service = createCreditService({ log, model });
  const random = seededRandom(seed * 7919 + 1);
  const start = endMs - 7 * DAY;
  const days = [];
  const later = [];
  const counts = {
    decisions: 0,
    actions: {},
    outcomes: { success: 0, failure: 0 },
    annotations: 0,
  };
  const countAction = (kind) => (counts.actions[kind] = (counts.actions[kind] ?? 0) + 1);
  for (let day = 0; day < 7; day += 1) {
    const weekday = new Date(start + day * DAY).getUTCDay();
    const n = Math.round(perDay * (weekday === 0 || weekday === 6 ? 0.55 : 1));
    const drift = DRIFT_DAYS.includes(day) ? 0.6 + 0.4 * (day - DRIFT_DAYS[0]) : 0;
    const summary = {
      day,
      date: new Date(start + day * DAY).toISOString().slice(0, 10),
      decisions: n,
      escalations: 0,
      scoreSum: 0,
    };
    for (let i = 0; i < n; i += 1) {
      // Office hours, 07:00-21:00 UTC, in order through the day.
      const at =
        start + day * DAY + 7 * 3600_000 + Math.floor(((i + random()) / n) * 14 * 3600_000);
      const features = applicant(random, drift);
      const application = {
        customer: `cust-${String(Math.floor(random() * 5000)).padStart(5, '0')}`,
        region: REGIONS[Math.floor(random() * REGIONS.length)],
        requestId: `req-${seed}-${day}-${i}`,
        features,
      };
      const escalate = random() < (day === SPIKE_DAY ? 0.3 : 0.01);
      const id = `credit-${seed}-${summary.date}-${String(i).padStart(4, '0')}`;
      const channel = random() < 0.7 ? 'web' : 'branch';
      const result = service.assess(application, { at: new Date(at), id, escalate, channel });
      counts.decisions += 1;
      summary.scoreSum += result.score;
      countAction(
        escalate ? 'escalation' : result.verdict === 'review' ? 'human_review' : 'automated',
      );
      if (escalate) {
        summary.escalations += 1;
        continue;
      }
      let approvedBy = result.verdict === 'approve' ? result.actionId : undefined;
      if (result.verdict === 'review') {
        const underwriter = UNDERWRITERS[Math.floor(random() * UNDERWRITERS.length)];
        const approve = repayProbability(features) + 0.15 * (random() - 0.5) > 0.62;
        const note =
          random() < 0.35
            ? approve
              ? 'Checked payslips and bank statements: income confirmed, approved.'
              : 'Existing debts higher than declared; declined after a call with the applicant.'
            : undefined;
        const reviewAt = at + Math.floor((1 + 5 * random()) * 3600_000);
        const reviewId = service.review(result.decisionId, {
          at: new Date(reviewAt),
          approve,
          underwriter,
          note,
        });
        countAction('override');
        if (note) counts.annotations += 1;
        if (approve) approvedBy = reviewId;
      }
      if (approvedBy !== undefined) {
        // Repayment is known one to three days later; later than the week's end, not yet.
        const outcomeAt = at + Math.floor((1 + 2 * random()) * DAY);
        const repaid = random() < repayProbability(features);
        if (outcomeAt < endMs)
          later.push({
            decisionId: result.decisionId,
            at: outcomeAt,
            actionId: approvedBy,
            repaid,
            amount: features.amount,
          });
      }
    }
    days.push({ ...summary, meanScore: summary.scoreSum / n });
  }
  // Outcomes are reported later, as they become known.
  for (const outcome of later.sort((a, b) => a.at - b.at)) {
    service.reportOutcome(outcome.decisionId, { ...outcome, at: new Date(outcome.at) });
    counts.outcomes[outcome.repaid ? 'success' : 'failure'] += 1;
  }
  return {
    model: { name: model.name, version: model.version, accuracy: model.accuracy },
    counts,
    days: days.map(({ scoreSum: _sum, ...day }) => day),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.DECLOG_URL ?? 'http://127.0.0.1:7300' },
      'api-key': { type: 'string', default: process.env.DECLOG_API_KEY },
      tenant: { type: 'string', default: process.env.DECLOG_TENANT },
      seed: { type: 'string', default: '42' },
      'per-day': { type: 'string', default: '300' },
      end: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    },
  });
  if (!values['api-key']) throw new Error('give an API key: --api-key KEY or DECLOG_API_KEY');
  const seed = Number(values.seed);
  const perDay = Number(values['per-day']);
  const endMs = Date.parse(`${values.end}T00:00:00Z`);
  if (!Number.isInteger(seed) || !Number.isInteger(perDay) || perDay < 1 || Number.isNaN(endMs)) {
    throw new Error('--seed and --per-day are integers (per-day at least 1); --end is YYYY-MM-DD');
  }
  const problems = [];
  const log = createDecisionLog({
    url: values.url,
    apiKey: values['api-key'],
    ...(values.tenant && { tenant: values.tenant }),
    onError: (error) => problems.push(`${error.code}: ${error.message}`),
  });
  const started = Date.now();
  const filled = fillWeek({ log, seed, perDay, endMs });
  await log.close();
  const stats = log.stats();
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ ...filled, stats, seconds }, null, 2)}\n`);
  if (stats.dropped > 0 || stats.rejected > 0 || stats.queued > 0 || stats.spoolPending > 0) {
    process.stderr.write(
      `demo: not every event was stored:\n${problems.slice(0, 10).join('\n')}\n`,
    );
    process.exitCode = 1;
  } else if (problems.length > 0) {
    process.stderr.write(`demo: delivered after retries:\n${problems.slice(0, 5).join('\n')}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
