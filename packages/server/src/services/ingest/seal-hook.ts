import { randomBytes } from 'node:crypto';
import {
  sealDecisionMembers,
  type DecisionSealing,
  type EncodedEvent,
  type SealDecision,
  type SealableText,
} from '@declog/core';
import type { SubjectKeyState } from '../privacy/subject-keys.js';

/** Which free text the tenant seals, as sealing reads it. */
export function decisionSealing(sealText: readonly SealableText[]): DecisionSealing {
  return {
    summary: sealText.includes('rationale.summary'),
    reasonDetails: sealText.includes('rationale.reasons.*.detail'),
  };
}

/**
 * The subjects whose keys sealing these events needs: those of decisions that hold features
 * or a cohort, or any decision of a subject when free text is sealed too.
 */
export function subjectsToSeal(
  events: readonly EncodedEvent[],
  sealing: DecisionSealing,
): string[] {
  const subjects = new Set<string>();
  const anyText = sealing.summary || sealing.reasonDetails;
  for (const { event } of events) {
    if (event.type !== 'decision' || event.subject === undefined) continue;
    if (anyText || event.cohort !== undefined || event.input?.features !== undefined) {
      subjects.add(event.subject.id);
    }
  }
  return [...subjects];
}

/**
 * Seals each decision's personal values under its subject's key (see sealDecisionMembers).
 * A subject erased already has them sealed under a key that is thrown away at once: the leaf
 * keeps the commitment, and nothing of the values is stored.
 */
export function sealHook(
  keys: ReadonlyMap<string, SubjectKeyState>,
  sealing: DecisionSealing,
): SealDecision {
  return (decision, members) => {
    const subject = decision.subject?.id;
    const state = subject === undefined ? undefined : keys.get(subject);
    if (subject === undefined || state === undefined) return null;
    const key = state.ok ? state.key : new Uint8Array(randomBytes(32));
    const sealed = sealDecisionMembers(decision, members, key, sealing);
    if (sealed === null) return null;
    const summarySealed = sealing.summary;
    return state.ok
      ? { members: sealed.members, personal: { subject, sealed: sealed.sealed }, summarySealed }
      : { members: sealed.members, summarySealed };
  };
}
