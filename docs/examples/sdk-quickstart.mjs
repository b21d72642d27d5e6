import { createDecisionLog } from '@declog/sdk';

const log = createDecisionLog({ url: process.env.DECLOG_URL, apiKey: process.env.DECLOG_API_KEY });

const id = log.decision({
  model: { name: 'credit-limit', version: '4.2.0' },
  prediction: { label: 'approve', score: 0.91 },
  rationale: {
    summary: 'Income and repayment history support the requested limit.',
    reasons: [{ code: 'income_ok', weight: 0.6 }],
  },
  subject: { id: 'cust-8812' },
});
const actionId = log.action(id, {
  kind: 'automated',
  name: 'raise_limit',
  actor: { type: 'system', id: 'limits-service' },
});
log.outcome(id, { status: 'success', label: 'repaid', source: 'billing', action_id: actionId });
log.annotate(id, { text: 'Limit reviewed at the quarterly check.' });

await log.close(); // sends what is queued; a service calls it on shutdown
console.log(id);
