import type { AuditProblem } from '../services/ledger/audit-problem.js';
import type { BundleVerification } from '../services/ledger/verify-evidence-bundle.js';
import type { LogVerification } from '../services/ledger/verify-log.js';
import type { RemoteVerification } from '../services/ledger/verify-remote-log.js';

// What `declog verify --json` prints: one object per run, in the API's snake_case, whether
// the check passed or not, so that a scheduled audit can keep and compare its results.

type Json = Record<string, unknown>;

/** The log a database or server audit read: a tenant's decision log or access trail. */
export interface AuditedLogJson {
  readonly tenant: string;
  readonly log: 'decisions' | 'access';
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A problem as JSON: its stable code, the reason, and where it is when that is known. */
export function problemJson(problem: AuditProblem): Json {
  return {
    code: problem.code,
    reason: problem.reason,
    ...(problem.seq === undefined ? {} : { seq: problem.seq }),
    ...(problem.seqRange === undefined ? {} : { seq_range: [...problem.seqRange] }),
    ...(problem.checkpointSize === undefined ? {} : { checkpoint_size: problem.checkpointSize }),
  };
}

/** `declog verify --db --json`; `rememberedIn` names the state file written, if any. */
export function logVerificationJson(
  report: LogVerification,
  log: AuditedLogJson,
  rememberedIn: string | null,
): Json {
  if (!report.ok) {
    return {
      ok: false,
      mode: 'db',
      ...log,
      problem: problemJson(report.problem),
      entries_checked: report.entriesChecked,
      checkpoints_checked: report.checkpoints,
      key_source: report.keySource,
    };
  }
  return {
    ok: true,
    mode: 'db',
    ...log,
    entries: report.size,
    root: base64(report.rootHash),
    pruned: report.pruned,
    checkpoints_checked: report.checkpoints,
    latest_checkpoint_size: report.latestCheckpointSize,
    unsigned_entries: report.size - (report.latestCheckpointSize ?? 0),
    origin: report.origin,
    key_source: report.keySource,
    previous_size: report.previousSize,
    remembered_in: rememberedIn,
    sealed_records: report.index?.sealed ?? null,
    sealed_opened: report.index?.opened ?? false,
  };
}

/** `declog verify --url --json`. */
export function remoteVerificationJson(
  url: string,
  report: RemoteVerification,
  log: AuditedLogJson,
  rememberedIn: string | null,
): Json {
  if (!report.ok) {
    return {
      ok: false,
      mode: 'url',
      url,
      ...log,
      problem: problemJson(report.problem),
      downloaded: report.downloaded,
      key_source: report.keySource,
      verifier_key: report.verifierKey,
    };
  }
  const { verified } = report;
  return {
    ok: true,
    mode: 'url',
    url,
    ...log,
    entries: verified.size,
    root: base64(verified.rootHash),
    origin: verified.origin,
    verifier_key: verified.verifierKey,
    key_source: report.keySource,
    previous_size: report.previousSize,
    downloaded: report.downloaded,
    chains_checked: report.chains,
    pruned: report.pruned,
    remembered_in: rememberedIn,
  };
}

/** `declog verify --bundle --json`. */
export function bundleVerificationJson(report: BundleVerification): Json {
  if (!report.ok) return { ok: false, mode: 'bundle', problem: problemJson(report.problem) };
  return {
    ok: true,
    mode: 'bundle',
    decision_id: report.decisionId,
    origin: report.origin,
    tree_size: report.treeSize,
    root: base64(report.rootHash),
    events: report.events.map((event) => ({ seq: event.seq, type: event.type, id: event.id })),
  };
}
