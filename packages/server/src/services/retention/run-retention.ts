import {
  periodStartMs,
  planRetention,
  policyPeriods,
  type EventStore,
  type GovernanceStore,
  type RetentionPolicy,
  type RetentionStep,
} from '@declog/core';
import { firstRecordedAtOrAfter } from '../ledger/log-row.js';
import { readRetentionPolicy } from './retention-policies.js';

export interface RetentionDeps {
  readonly governance: GovernanceStore;
  readonly now: () => Date;
  /** Overwrites what was deleted in the database files (see LogDatabase.scrub). */
  readonly scrub: () => Promise<void>;
}

/** Ids listed per kind in a report, at most: the counts are always whole. */
export const LISTED = 1000;
/** Decisions weighed per store call. */
const PAGE = 1000;

/** What a retention run did (or, dry, would do) in one tenant: the API's answer. */
export interface RetentionReport {
  readonly tenant: string;
  readonly dry_run: boolean;
  /** The instant ages were measured from. */
  readonly as_of: string;
  readonly policy: RetentionPolicy | null;
  /** Decisions whose sealed personal values were shredded (the records stay). */
  readonly shredded: { readonly decisions: number; readonly ids: readonly string[] };
  /** Decision chains pruned, the entries they held, and orphan entries pruned by themselves. */
  readonly pruned: {
    readonly decisions: number;
    readonly entries: number;
    readonly orphans: number;
    readonly ids: readonly string[];
  };
  /** What a standing legal hold kept, and which holds. */
  readonly held: {
    readonly decisions: number;
    readonly orphans: number;
    readonly items: readonly {
      readonly id: string;
      readonly would: RetentionStep;
      readonly holds: readonly string[];
    }[];
  };
  /** Whether a list of ids was cut at its first 1000. */
  readonly truncated: boolean;
  /**
   * Access-trail entries whose personal details (purpose, search words, label values) were
   * deleted, being older than the tenant-wide `personal_data` period (else `records`); 0 in a
   * dry run, which deletes nothing.
   */
  readonly access_details_deleted: number;
}

/**
 * Applies the tenant's retention policy to its decision log as of now (or, with `apply`
 * false, only reports what would go). Pruned entries keep their leaf hashes, so every proof
 * of the rest still verifies; shredded decisions keep their records, without the personal
 * values. What a standing legal hold covers is kept and listed. Pages through the log, so
 * memory is bounded by the page, not the log.
 */
export async function runRetention(
  deps: RetentionDeps,
  log: EventStore,
  tenant: string,
  options: { readonly apply: boolean; readonly by: string },
): Promise<RetentionReport> {
  const now = deps.now();
  const asOf = now.toISOString();
  const stored = await readRetentionPolicy(deps.governance, tenant);
  const shreddedIds: string[] = [];
  const prunedIds: string[] = [];
  const heldItems: { id: string; would: RetentionStep; holds: string[] }[] = [];
  const counts = {
    shredded: 0,
    pruned: 0,
    entries: 0,
    orphans: 0,
    held: 0,
    heldOrphans: 0,
    trail: 0,
  };
  let truncated = false;
  const list = <T>(into: T[], items: readonly T[]) => {
    const room = LISTED - into.length;
    if (items.length > room) truncated = true;
    into.push(...items.slice(0, Math.max(0, room)));
  };

  if (stored) {
    const { policy } = stored;
    const size = await log.size();
    const cutoffs = new Map<string, number>();
    for (const period of policyPeriods(policy)) {
      cutoffs.set(period, await firstRecordedAtOrAfter(log, size, periodStartMs(+now, period)));
    }
    const end = Math.max(0, ...cutoffs.values());
    const holds = await deps.governance.holds(tenant, { standing: true });

    for (let from = 0; from < end;) {
      const decisions = await log.retentionCandidates(from, end, PAGE);
      if (decisions.length === 0) break;
      from = (decisions.at(-1)?.seq ?? end) + 1;
      const plan = planRetention(policy, cutoffs, decisions, [], holds);
      const shred = plan.shred.map((d) => d.id);
      const prune = plan.prune.map((d) => d.id);
      if (options.apply) {
        if (shred.length > 0) await log.shredPersonalData({ ids: shred }, asOf, options.by);
        if (prune.length > 0) {
          counts.entries += await log.prune({ decisions: prune, seqs: [] }, asOf, options.by);
        }
      } else {
        for (const id of prune) counts.entries += 1 + (await log.countLinked(id));
      }
      counts.shredded += shred.length;
      counts.pruned += prune.length;
      counts.held += plan.held.length;
      list(shreddedIds, shred);
      list(prunedIds, prune);
      list(
        heldItems,
        plan.held.map((h) => ({
          id: h.decision.id,
          would: h.step,
          holds: h.holds.map((hold) => hold.id),
        })),
      );
    }

    const orphanEnd = policy.records === undefined ? 0 : (cutoffs.get(policy.records) ?? 0);
    for (let from = 0; from < orphanEnd;) {
      const orphans = await log.orphans(from, orphanEnd, PAGE);
      if (orphans.length === 0) break;
      from = (orphans.at(-1)?.seq ?? orphanEnd) + 1;
      const plan = planRetention(policy, cutoffs, [], orphans, holds);
      const seqs = plan.pruneOrphans.map((o) => o.seq);
      if (options.apply && seqs.length > 0) {
        await log.prune({ decisions: [], seqs }, asOf, options.by);
      }
      counts.orphans += seqs.length;
      counts.entries += seqs.length;
      counts.heldOrphans += plan.heldOrphans.length;
      list(
        heldItems,
        plan.heldOrphans.map((h) => ({
          id: h.orphan.id,
          would: 'prune' as const,
          holds: h.holds.map((hold) => hold.id),
        })),
      );
    }
    // What the trail keeps of requests (purposes, search words) is personal data too; its
    // leaves only commit to it, so deleting it leaves the trail verifiable.
    const trailPeriod = policy.personal_data ?? policy.records;
    if (options.apply && trailPeriod !== undefined) {
      const before = new Date(periodStartMs(+now, trailPeriod)).toISOString();
      counts.trail = await deps.governance.deleteAccessDetails(tenant, { before });
    }
    // Deleted values live on in freed pages (and the WAL) until overwritten.
    if (options.apply && counts.shredded + counts.entries + counts.trail > 0) await deps.scrub();
  }

  return {
    tenant,
    dry_run: !options.apply,
    as_of: asOf,
    policy: stored?.policy ?? null,
    shredded: { decisions: counts.shredded, ids: shreddedIds },
    pruned: {
      decisions: counts.pruned,
      entries: counts.entries,
      orphans: counts.orphans,
      ids: prunedIds,
    },
    held: { decisions: counts.held, orphans: counts.heldOrphans, items: heldItems },
    truncated,
    access_details_deleted: counts.trail,
  };
}

/** What the access trail keeps of a retention run: its counts (ids are in the log itself). */
export function retentionReportDetails(report: RetentionReport): Record<string, string> {
  return {
    as_of: report.as_of,
    shredded_decisions: String(report.shredded.decisions),
    pruned_decisions: String(report.pruned.decisions),
    pruned_entries: String(report.pruned.entries),
    held: String(report.held.decisions + report.held.orphans),
  };
}
