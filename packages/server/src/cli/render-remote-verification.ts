import type { RemoteVerification } from '../services/ledger/verify-remote-log.js';
import { renderAuditProblem } from './render-audit-problem.js';

/** The report of `declog verify --url`: `ok` with the verified checkpoint, or the problem. */
export function renderRemoteVerification(url: string, report: RemoteVerification): string {
  const key =
    report.keySource === 'first-use'
      ? `  key: TRUSTED ON FIRST USE from ${url}/v1/log/key: ${report.ok ? report.verified.verifierKey : report.verifierKey}\n` +
        '       compare it with the key the log operator publishes; later runs hold the server to it\n'
      : report.keySource === 'remembered'
        ? '  key: the key remembered from an earlier run\n'
        : '';
  if (!report.ok) {
    return `${renderAuditProblem(report.problem)}${key}  (${report.downloaded} entries downloaded)\n`;
  }
  const { verified } = report;
  const previously =
    report.previousSize === null
      ? `downloaded and checked all ${report.downloaded} entries`
      : `consistent with the ${report.previousSize} entries verified before; ` +
        `downloaded and checked ${report.downloaded} new entries`;
  const pruned =
    report.pruned > 0
      ? `  ${report.pruned} of them pruned by retention: only their leaf hashes are left, checked against the signed root\n`
      : '';
  const chains =
    report.chains > 0
      ? `  ${report.chains} decision chain(s) read back from GET /v1/decisions/{id}?proof=true: each event proven, of its decision, none left out\n`
      : '';
  return (
    `ok ${verified.size} entries, root ${Buffer.from(verified.rootHash).toString('base64')}\n` +
    `  ${url}: checkpoint for origin ${verified.origin}, ${previously}\n` +
    pruned +
    chains +
    key
  );
}
