import { seededSample, type AnalyticsScope, type EventStore } from '@declog/core';
import type { RevealRows } from '../privacy/reveal-personal.js';
import type { ModelRegistry } from './model-registry.js';

/** What an analysis reads: the tenant's log, how its rows are shown to the caller, the registry. */
export interface AnalysisDeps {
  readonly store: EventStore;
  /** Opens sealed personal values where the caller may read them (else shows rows as stored). */
  readonly reveal: RevealRows;
  readonly registry: ModelRegistry;
  readonly tenant: string;
  readonly nowMs: number;
}

/** Above this many values in a window, an analysis reads a seeded uniform sample of them. */
export const MAX_VALUES = 200_000;

/** How a window's values were read: all of them, or a sample of this size and seed. */
export interface Sampling {
  readonly population: number;
  readonly size: number;
  readonly seed: number | null;
}

/**
 * The scope's decisions as the caller may see them (sealed features and cohort opened where
 * the caller may read them; an erased subject's simply absent), all of them or a seeded
 * uniform sample of MAX_VALUES. Plaintext stays in memory: nothing is written.
 */
export async function readDecisions(
  deps: AnalysisDeps,
  scope: AnalyticsScope,
  seed: number,
): Promise<{ readonly events: readonly Record<string, unknown>[]; readonly sampling: Sampling }> {
  const seqs = await deps.store.decisionSeqs(scope);
  const chosen = seededSample(seqs, MAX_VALUES, seed);
  const rows = await deps.store.decisionRowsAt(chosen);
  const texts = await deps.reveal(rows);
  return {
    events: texts.map((text) => JSON.parse(text) as Record<string, unknown>),
    sampling: {
      population: seqs.length,
      size: chosen.length,
      seed: chosen.length < seqs.length ? seed : null,
    },
  };
}

/** Values as a seeded uniform sample when there are more than MAX_VALUES. */
export function sampleValues<T>(
  values: readonly T[],
  seed: number,
): {
  readonly values: readonly T[];
  readonly sampling: Sampling;
} {
  const chosen = seededSample(values, MAX_VALUES, seed);
  return {
    values: chosen,
    sampling: {
      population: values.length,
      size: chosen.length,
      seed: chosen.length < values.length ? seed : null,
    },
  };
}
