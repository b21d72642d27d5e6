import {
  accessLogId,
  decisionLogId,
  DEFAULT_TENANT,
  SECURITY_LOG_ID,
  type LogDatabase,
} from '@declog/core';
import { checkCopyTarget } from './check-copy-target.js';
import { copyGovernance, governanceCopyProblem, type GovernanceCopy } from './copy-governance.js';
import { copyLog, type CopyOptions, type CopyReport } from './copy-log.js';
import { logSnapshot } from './log-snapshot.js';

/** One log of the database and how its copy went. */
export interface LogCopy {
  readonly logId: string;
  readonly report: CopyReport;
}

export interface DatabaseCopyReport {
  /** The default tenant's decision log first, then the other logs the source holds. */
  readonly logs: readonly LogCopy[];
  /** What governance came over; null when the copy stopped before it. */
  readonly governance: GovernanceCopy | null;
  /** Whether every log was copied and the governance after them. */
  readonly ok: boolean;
}

/**
 * Copies a whole database: every tenant's decision log and access trail and the security trail
 * (each with copyLog: entries byte for byte, sealed records and shredding marks, checkpoints),
 * then governance (copyGovernance: tenants, API keys, policies, subject keys, erasures, holds).
 * Every target log is checked before anything is written, so a target that holds another log,
 * or another master key, is left as it was. Stops at the first log whose copy fails.
 *
 * @example const report = await copyDatabase(await openReadonlyDatabase(from), await openDatabase(to));
 */
export async function copyDatabase(
  source: LogDatabase,
  target: LogDatabase,
  options: CopyOptions & { readonly onLog?: (logId: string) => void } = {},
): Promise<DatabaseCopyReport> {
  const logIds = await sourceLogIds(source);
  const refused = (logId: string, reason: string): DatabaseCopyReport => ({
    logs: [{ logId, report: { ok: false, code: 'another-log', reason, copied: 0 } }],
    governance: null,
    ok: false,
  });
  // Every log is checked before any is written: a target that holds another one stays as it
  // was (the default log's own check, in copyLog, says the same in the same words).
  for (const logId of logIds.slice(1)) {
    if (!(await target.hasLog(logId))) continue;
    const from = await source.log(logId);
    const check = await checkCopyTarget(from, await logSnapshot(from), await target.log(logId));
    if (!check.ok) return refused(logId, `the target holds another log: ${check.reason}`);
  }
  const defaultLog = await source.log(DEFAULT_TENANT);
  const defaultCheck = (await target.hasLog(DEFAULT_TENANT))
    ? await checkCopyTarget(
        defaultLog,
        await logSnapshot(defaultLog),
        await target.log(DEFAULT_TENANT),
      )
    : ({ ok: true } as const);
  if (defaultCheck.ok) {
    const keys = await governanceCopyProblem(source.governance, target.governance);
    if (keys !== null) return refused(DEFAULT_TENANT, keys);
  }
  const logs: LogCopy[] = [];
  for (const logId of logIds) {
    options.onLog?.(logId);
    const report = await copyLog(await source.log(logId), await target.log(logId), options);
    logs.push({ logId, report });
    if (!report.ok) return { logs, governance: null, ok: false };
  }
  const governance = await copyGovernance(source.governance, target.governance);
  return { logs, governance, ok: true };
}

/** The default decision log, then every other log the source holds that is not empty. */
async function sourceLogIds(source: LogDatabase): Promise<string[]> {
  const ids = [DEFAULT_TENANT];
  const candidates = [accessLogId(DEFAULT_TENANT)];
  for (const { name } of await source.governance.tenants()) {
    if (name === DEFAULT_TENANT) continue;
    candidates.push(decisionLogId(name), accessLogId(name));
  }
  candidates.push(SECURITY_LOG_ID);
  for (const id of candidates) {
    if (!(await source.hasLog(id))) continue;
    if ((await (await source.log(id)).size()) > 0) ids.push(id);
  }
  return ids;
}
