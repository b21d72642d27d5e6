import { createDecisionLog } from '@declog/sdk';

// No server: events go straight into this SQLite file (npm install declog beside the SDK).
const log = createDecisionLog({ db: process.env.DECLOG_DB ?? './declog.db' });

const id = log.decision({
  model: { name: 'credit-limit', version: '4.2.0' },
  prediction: { label: 'approve', score: 0.91 },
  rationale: { summary: 'Income and repayment history support the requested limit.' },
  subject: { id: 'cust-8812' },
  input: { features: { income: 52000, email: 'ann@example.com' } },
});
log.outcome(id, { status: 'success', label: 'repaid', source: 'billing' });

await log.close(); // once it resolves, every event is committed to the file
console.log(id);
