import {
  indexFacts,
  labelValue,
  type DecisionChainRows,
  type DecisionFilter,
  type DecisionPageRequest,
  type IndexFacts,
  type StoredRow,
} from '@declog/core';
import { DeclogError } from '../errors.js';

/**
 * Cheap checks on the read path: a store finds rows through columns derived from the leaves
 * (ids, links, types, query columns), and a read serves the leaves it finds. Where an edit of
 * those columns would make a read serve another event (a decision under another id, an
 * outcome in another chain, a decision that does not match the query), the read answers
 * `store_inconsistent` instead; `declog verify` finds every such edit.
 */

/** The error of a read that found rows disagreeing with their leaves. */
export function storeInconsistent(seq: number, what: string): DeclogError {
  return new DeclogError(
    'store_inconsistent',
    `the stored rows of seq ${seq} disagree with its ledger entry (${what}): the database was ` +
      'changed outside declog or is damaged; nothing was served. Run `declog verify` on it',
    [{ path: 'seq', message: `seq ${seq}: ${what}` }],
  );
}

/** The facts of a row's leaf; a leaf no store could have indexed is itself inconsistent. */
export function leafFacts(row: StoredRow): IndexFacts {
  const read = indexFacts(row.json);
  if (!read.ok) throw storeInconsistent(row.seq, read.reason);
  if (read.facts.seq !== row.seq) {
    throw storeInconsistent(row.seq, `the entry there says it is seq ${read.facts.seq}`);
  }
  if (read.facts.type !== row.type) {
    throw storeInconsistent(
      row.seq,
      `its type column says ${row.type}, the entry ${read.facts.type}`,
    );
  }
  return read.facts;
}

/** A decision's chain found by `id`: the decision is that one, and every event names it. */
export function guardChain(chain: DecisionChainRows, id: string): void {
  const decision = leafFacts(chain.decision);
  if (decision.type !== 'decision' || decision.id !== id) {
    throw storeInconsistent(
      chain.decision.seq,
      `asked for decision ${JSON.stringify(id)}, the entry is ${decision.type} ${JSON.stringify(decision.id)}`,
    );
  }
  for (const row of chain.linked) {
    const linked = leafFacts(row);
    if (linked.decisionId !== id) {
      throw storeInconsistent(
        row.seq,
        `found in the chain of ${JSON.stringify(id)}, the ${linked.type} names ` +
          `${JSON.stringify(linked.decisionId)}`,
      );
    }
  }
}

/** An event found by `id`: it is that one, of that type. */
export function guardEvent(row: StoredRow, id: string): IndexFacts {
  const facts = leafFacts(row);
  if (facts.id !== id) {
    throw storeInconsistent(
      row.seq,
      `asked for ${JSON.stringify(id)}, the entry is ${JSON.stringify(facts.id)}`,
    );
  }
  return facts;
}

/**
 * A page of decisions found for `filter`: each is a decision that meets the filter's own
 * conditions on it (model, version, time, subject, reason, labels), in the page's order. The
 * conditions on its actions, outcomes and summary words are left to the store.
 */
export function guardPage(
  items: readonly StoredRow[],
  filter: DecisionFilter,
  page: DecisionPageRequest,
): void {
  let previous = page.after;
  for (const row of items) {
    const facts = leafFacts(row);
    const decision = facts.decision;
    if (!decision)
      throw storeInconsistent(row.seq, `listed as a decision, the entry is ${facts.type}`);
    const unmet = unmetCondition(facts, filter);
    if (unmet !== null)
      throw storeInconsistent(row.seq, `listed for ${unmet}, which the entry does not meet`);
    const at = { occurredMs: facts.occurredMs, seq: facts.seq };
    if (
      previous !== null &&
      (at.occurredMs > previous.occurredMs ||
        (at.occurredMs === previous.occurredMs && at.seq >= previous.seq))
    ) {
      throw storeInconsistent(row.seq, 'listed out of the order of its occurred_at');
    }
    previous = at;
  }
}

function unmetCondition(facts: IndexFacts, filter: DecisionFilter): string | null {
  const decision = facts.decision;
  if (!decision) return 'a decision';
  if (filter.model !== undefined && decision.model !== filter.model) return 'its model';
  if (filter.modelVersion !== undefined && decision.modelVersion !== filter.modelVersion) {
    return 'its model version';
  }
  if (filter.subject !== undefined && decision.subject !== filter.subject) return 'its subject';
  if (filter.fromMs !== undefined && facts.occurredMs < filter.fromMs) return 'from';
  if (filter.toMs !== undefined && facts.occurredMs >= filter.toMs) return 'to';
  if (filter.reason !== undefined && !decision.reasonCodes.includes(filter.reason)) {
    return 'its reason';
  }
  const labels = new Set(decision.labels.map(labelValue));
  for (const pair of filter.labels) if (!labels.has(labelValue(pair))) return `label.${pair[0]}`;
  return null;
}
