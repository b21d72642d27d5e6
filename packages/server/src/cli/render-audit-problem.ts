import type { AuditProblem } from '../services/ledger/audit-problem.js';

/**
 * A problem as the verify commands print it: a headline with the stable code and where it
 * is (seq, seq range or checkpoint), then the reason.
 *
 * @example renderAuditProblem(problem) // 'FAILED [edited-entry] at seq 57\n  seq 57: …\n'
 */
export function renderAuditProblem(problem: AuditProblem): string {
  const where =
    problem.seqRange && problem.seqRange[0] !== problem.seqRange[1]
      ? ` in seq ${problem.seqRange[0]}–${problem.seqRange[1]}`
      : problem.seq !== undefined
        ? ` at seq ${problem.seq}`
        : problem.checkpointSize !== undefined
          ? ` at the checkpoint of size ${problem.checkpointSize}`
          : '';
  return `FAILED [${problem.code}]${where}\n  ${problem.reason}\n`;
}
