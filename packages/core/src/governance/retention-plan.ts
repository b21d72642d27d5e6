import type { LegalHold } from '../store/governance-store.js';
import type { OrphanEntry, RetentionCandidate } from '../store/event-store.js';
import { limitsFor, type RetentionPeriod, type RetentionPolicy } from './retention-policy.js';

/** What retention does to a decision: prune its whole chain, or shred its personal values. */
export type RetentionStep = 'prune' | 'shred';

/** A decision retention would act on but may not, and the standing holds that stop it. */
export interface HeldDecision {
  readonly decision: RetentionCandidate;
  readonly step: RetentionStep;
  readonly holds: readonly LegalHold[];
}

export interface RetentionPlan {
  /** Decisions whose chains go, personal values and all. */
  readonly prune: readonly RetentionCandidate[];
  /** Decisions that stay, without their sealed personal values. */
  readonly shred: readonly RetentionCandidate[];
  readonly pruneOrphans: readonly OrphanEntry[];
  readonly held: readonly HeldDecision[];
  readonly heldOrphans: readonly {
    readonly orphan: OrphanEntry;
    readonly holds: readonly LegalHold[];
  }[];
}

/**
 * For each period, the first seq recorded within it: entries below are older than the period.
 * An age is that of the entry's `recorded_at` (the server's clock, not the producer's).
 */
export type PeriodCutoffs = ReadonlyMap<RetentionPeriod, number>;

/**
 * Decides what retention does with these decisions and orphans. A chain goes when its newest
 * entry is older than its model's `records` period, so a late outcome keeps its decision; the
 * personal values of a decision go when the decision is older than `personal_data`. Orphans
 * (whose decision is not in the log) age by themselves under the tenant's `records` period.
 * Anything a standing hold covers (its subject, decision or model) is kept and listed.
 */
export function planRetention(
  policy: RetentionPolicy,
  cutoffs: PeriodCutoffs,
  decisions: readonly RetentionCandidate[],
  orphans: readonly OrphanEntry[],
  holds: readonly LegalHold[],
): RetentionPlan {
  const older = (seq: number, period: RetentionPeriod | undefined) =>
    period !== undefined && seq < (cutoffs.get(period) ?? 0);
  const prune: RetentionCandidate[] = [];
  const shred: RetentionCandidate[] = [];
  const held: HeldDecision[] = [];
  for (const decision of decisions) {
    const limits = limitsFor(policy, decision.model);
    const step: RetentionStep | null = older(decision.newestSeq, limits.records)
      ? 'prune'
      : decision.hasPersonalData && older(decision.seq, limits.personal_data)
        ? 'shred'
        : null;
    if (step === null) continue;
    const covering = holds.filter(
      (hold) =>
        (hold.kind === 'decision' && hold.target === decision.id) ||
        (hold.kind === 'model' && hold.target === decision.model) ||
        (hold.kind === 'subject' && hold.target === decision.subject),
    );
    if (covering.length > 0) held.push({ decision, step, holds: covering });
    else (step === 'prune' ? prune : shred).push(decision);
  }
  const pruneOrphans: OrphanEntry[] = [];
  const heldOrphans: { orphan: OrphanEntry; holds: readonly LegalHold[] }[] = [];
  for (const orphan of orphans) {
    if (!older(orphan.seq, policy.records)) continue;
    const covering = holds.filter(
      (hold) => hold.kind === 'decision' && hold.target === orphan.decisionId,
    );
    if (covering.length > 0) heldOrphans.push({ orphan, holds: covering });
    else pruneOrphans.push(orphan);
  }
  return { prune, shred, pruneOrphans, held, heldOrphans };
}
