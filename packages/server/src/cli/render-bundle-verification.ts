import type { BundleVerification } from '../services/ledger/verify-evidence-bundle.js';
import { renderAuditProblem } from './render-audit-problem.js';

/** The report of `declog verify --bundle`: `ok` with what is proven, or the problem. */
export function renderBundleVerification(report: BundleVerification): string {
  if (!report.ok) return renderAuditProblem(report.problem);
  const events = report.events.map((e) => `  seq ${e.seq} ${e.type} ${e.id}\n`).join('');
  return (
    `ok decision ${report.decisionId}: ${count(report.events.length)} proven in ${report.origin}\n` +
    `  against the signed checkpoint of size ${report.treeSize}, root ${Buffer.from(report.rootHash).toString('base64')}\n` +
    events
  );
}

const count = (n: number) => (n === 1 ? '1 event' : `${n} events`);
