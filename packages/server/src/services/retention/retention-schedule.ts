import type { GovernanceStore } from '@declog/core';
import { isDeclogError } from '../../errors.js';
import type { TenantLogs } from '../governance/tenant-logs.js';
import { readRetentionPolicy } from './retention-policies.js';
import { retentionReportDetails, runRetention } from './run-retention.js';

export interface RetentionScheduleOptions {
  readonly governance: GovernanceStore;
  readonly logs: TenantLogs;
  readonly now: () => Date;
  readonly scrub: () => Promise<void>;
  /** Time between runs (ms); the first run starts `firstRunMs` after the server does. */
  readonly intervalMs: number;
  readonly firstRunMs?: number;
  readonly logError: (error: unknown) => void;
  /** A run that removed something: what and where, for the operator's log. */
  readonly logNotice: (message: string) => void;
}

export interface RetentionSchedule {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Who the access trail names for scheduled runs. */
export const SCHEDULE_ACTOR = { key_id: 'schedule', name: 'retention-schedule', role: 'admin' };

/**
 * Applies every tenant's retention policy on a timer, as `declog retention apply` would, and
 * records each run that changed something in the tenant's access trail (method SCHEDULE). A
 * run never starts while the previous one is going; a failing tenant does not stop the others.
 */
export function startRetentionSchedule(options: RetentionScheduleOptions): RetentionSchedule {
  let running: Promise<void> | null = null;
  let stopped = false;
  const deps = { governance: options.governance, now: options.now, scrub: options.scrub };
  const runTenant = async (tenant: string) => {
    if ((await readRetentionPolicy(options.governance, tenant)) === null) return;
    const log = await options.logs.decisions(tenant);
    const report = await runRetention(deps, log.store, tenant, {
      apply: true,
      by: SCHEDULE_ACTOR.name,
    });
    const changed = report.shredded.decisions + report.pruned.entries;
    if (changed === 0) return;
    const trail = await options.logs.access(tenant);
    await trail.recorder.record({
      occurred_at: options.now().toISOString(),
      actor: SCHEDULE_ACTOR,
      action: 'retention.apply',
      method: 'SCHEDULE',
      route: 'retention schedule',
      records: changed,
      status: 200,
      details: retentionReportDetails(report),
    });
    options.logNotice(
      `retention of tenant ${tenant}: shredded the personal data of ${report.shredded.decisions} ` +
        `decision(s), pruned ${report.pruned.entries} entries`,
    );
  };
  // The database being away is no internal error: the run is put off to the next tick.
  const failed = (error: unknown) =>
    isDeclogError(error) && error.code === 'store_unavailable'
      ? options.logNotice(`retention run put off: ${error.message}`)
      : options.logError(error);
  const run = async () => {
    for (const { name } of await options.governance.tenants()) {
      if (stopped) return;
      await runTenant(name).catch(failed);
    }
  };
  const tick = () => {
    running ??= run()
      .catch(failed)
      .finally(() => (running = null));
  };
  const first = setTimeout(tick, options.firstRunMs ?? 10_000);
  const timer = setInterval(tick, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
