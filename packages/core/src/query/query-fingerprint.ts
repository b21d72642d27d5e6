import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { DecisionFilter } from './decision-query.js';

/**
 * A short fingerprint of a decision query's filters (not its page size), which its cursors
 * carry, so that a cursor continues only the query it came from. Filters that select the same
 * decisions in the same way have the same fingerprint: bounds are compared as instants, labels
 * and words in any order.
 */
export function queryFingerprint(filter: DecisionFilter): string {
  const text = canonicalJson({
    model: filter.model ?? null,
    model_version: filter.modelVersion ?? null,
    from: filter.fromMs ?? null,
    to: filter.toMs ?? null,
    reason: filter.reason ?? null,
    action_kind: filter.actionKind ?? null,
    outcome_status: filter.outcomeStatus ?? null,
    subject: filter.subject ?? null,
    labels: [...filter.labels].map(([key, value]) => [key, value]).sort(compareLabels),
    words: [...filter.words].sort(),
  });
  return createHash('sha256').update(text).digest().subarray(0, 6).toString('base64url');
}

function compareLabels(a: readonly string[], b: readonly string[]): number {
  const [ka = '', va = ''] = a;
  const [kb = '', vb = ''] = b;
  return ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
}
