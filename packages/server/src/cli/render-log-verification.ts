import type { LogVerification } from '../services/ledger/verify-log.js';
import { renderAuditProblem } from './render-audit-problem.js';

/** The report of `declog verify --db`: `ok` with count, root and checkpoints, or the problem. */
export function renderLogVerification(report: LogVerification): string {
  if (!report.ok) {
    const cps = report.checkpoints === 1 ? '1 checkpoint' : `${report.checkpoints} checkpoints`;
    return (
      renderAuditProblem(report.problem) +
      `  (${report.entriesChecked} entries and ${cps} were verified before the problem)\n`
    );
  }
  const lines = [
    `ok ${report.size} entries, root ${Buffer.from(report.rootHash).toString('base64')}`,
  ];
  if (report.pruned > 0) {
    lines.push(
      `  ${report.pruned} entries pruned by retention: their events are gone, their leaf hashes are checked against the tree`,
    );
  }
  if (report.index !== null) {
    const { sealed, opened } = report.index;
    lines.push(
      `  index: every entry's columns, decision row, reason, label and full-text rows match its leaf; ` +
        `${sealed} sealed record(s) ${opened ? 'opened against their commitments' : 'checked (not opened: no --master-key)'}`,
    );
  }
  if (report.checkpoints === 0) {
    lines.push('  no signed checkpoint: nothing is proven against a signature yet');
  } else {
    lines.push(
      `  ${report.checkpoints} signed checkpoint(s) checked for origin ${report.origin ?? '?'}, ` +
        `the latest of size ${report.latestCheckpointSize ?? 0}`,
    );
    const unsigned = report.size - (report.latestCheckpointSize ?? 0);
    if (unsigned > 0) {
      lines.push(
        `  ${unsigned} entries after the latest checkpoint are not signed yet (checked against their stored hashes only)`,
      );
    }
    if (report.previousSize !== null) {
      lines.push(
        `  extends the checkpoint of size ${report.previousSize} verified before: the same entries, still signed`,
      );
    }
    if (report.keySource === 'remembered') {
      lines.push('  key: the key remembered in the state file');
    }
    if (report.keySource === 'log') {
      lines.push(
        "  key: the log's own pinned key; pass --verifier-key with the key obtained out of band for an independent check",
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
