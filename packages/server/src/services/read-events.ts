import {
  EventId,
  encodeCursor,
  itemsWithinBytes,
  MAX_PAGE_BYTES,
  type DecisionChainRows,
  type DecisionQuery,
  type EventStore,
  type StoredRow,
} from '@declog/core';
import { DeclogError } from '../errors.js';
import type { Answer } from './answer.js';
import { decisionSubjects } from './decision-subject.js';
import type { RevealRows } from './privacy/reveal-personal.js';
import { guardChain, guardEvent, guardPage, storeInconsistent } from './stored-row-guards.js';

/** A decision's chain as JSON text assembled from the stored bytes, without re-encoding them. */
export async function readDecisionChain(
  store: EventStore,
  id: string,
  reveal: RevealRows = plainRows,
): Promise<Answer> {
  const chain = await readDecisionChainRows(store, id);
  const [decision, ...linked] = await reveal([chain.decision, ...chain.linked]);
  const texts = chain.linked.map((row, i) => ({ ...row, json: linked[i] ?? row.json }));
  return {
    json: chainJson({
      decision: { ...chain.decision, json: decision ?? chain.decision.json },
      linked: texts,
    }),
    records: 1 + chain.linked.length,
    subjects: decisionSubjects([chain.decision.json]),
  };
}

/** Rows as stored, for reads without sealed personal data. */
export const plainRows: RevealRows = async (rows) => rows.map((row) => row.json);

/** A decision's stored rows, or a not_found error that says whether events await it. */
export async function readDecisionChainRows(
  store: EventStore,
  id: string,
): Promise<DecisionChainRows> {
  checkId(id, 'decision id');
  const chain = await store.decisionChain(id);
  if (!chain) {
    await refusePruned(store, id, 'decision');
    await refuseLinkedId(store, id);
    const waiting = await store.countLinked(id);
    const note = waiting > 0 ? ` (${waiting} stored event(s) name it and will link to it)` : '';
    throw new DeclogError('not_found', `no decision with id "${id}"${note}`);
  }
  guardChain(chain, id);
  return chain;
}

export function chainJson(chain: DecisionChainRows): string {
  const of = (type: StoredRow['type']) =>
    `[${chain.linked
      .filter((row) => row.type === type)
      .map((row) => row.json)
      .join(',')}]`;
  return `{"decision":${chain.decision.json},"actions":${of('action')},"outcomes":${of('outcome')},"annotations":${of('annotation')}}`;
}

/** An action and the decision that led to it (null while the decision has not arrived). */
export async function readAction(
  store: EventStore,
  id: string,
  reveal: RevealRows = plainRows,
): Promise<Answer> {
  checkId(id, 'action id');
  const action = await store.eventById(id);
  if (!action) await refusePruned(store, id, 'action');
  if (!action || action.type !== 'action') {
    throw new DeclogError('not_found', `no action with id "${id}"`);
  }
  const { decisionId } = guardEvent(action, id);
  if (decisionId === null) throw storeInconsistent(action.seq, 'the action names no decision');
  const chain = await store.decisionChain(decisionId);
  if (chain) guardChain(chain, decisionId);
  const [actionText, decisionText] = await reveal(chain ? [action, chain.decision] : [action]);
  return {
    json: `{"action":${actionText ?? action.json},"decision":${decisionText ?? 'null'}}`,
    records: chain ? 2 : 1,
    subjects: chain ? decisionSubjects([chain.decision.json]) : [],
  };
}

/**
 * One page of decisions as JSON text `{"items": [...], "next_cursor": ...}`; it ends early
 * rather than pass MAX_PAGE_BYTES of items, with the cursor to go on from.
 */
export async function listDecisions(
  store: EventStore,
  query: DecisionQuery,
  reveal: RevealRows = plainRows,
): Promise<Answer> {
  if (!query.ok) {
    throw new DeclogError('invalid_query', 'invalid query parameters', query.issues);
  }
  const page = await store.queryDecisions(query.filter, {
    ...query.page,
    maxBytes: MAX_PAGE_BYTES,
  });
  guardPage(page.items, query.filter, query.page);
  const items = await reveal(page.items);
  // Opened personal values may make the answer longer than the stored text the store counted.
  const kept = itemsWithinBytes(items);
  const last = page.items[kept - 1];
  const cursor =
    kept < items.length && last ? { occurredMs: last.occurredMs, seq: last.seq } : page.next;
  const next = cursor ? JSON.stringify(encodeCursor(cursor, query.fingerprint)) : 'null';
  return {
    json: `{"items":[${items.slice(0, kept).join(',')}],"next_cursor":${next}}`,
    records: kept,
    subjects: decisionSubjects(page.items.slice(0, kept).map((row) => row.json)),
  };
}

/**
 * The not_found error for an id that is not a decision's but another event's: it names the
 * decision whose chain holds that event (`details`: `id` "is an action of decision \"D\"").
 */
async function refuseLinkedId(store: EventStore, id: string): Promise<void> {
  const event = await store.eventById(id);
  if (!event || event.type === 'decision') return;
  const { decisionId } = guardEvent(event, id);
  if (decisionId === null) return;
  // action, outcome, annotation: each takes "an".
  const what = `an ${event.type} of decision ${JSON.stringify(decisionId)}`;
  throw new DeclogError(
    'not_found',
    `no decision with id "${id}": it is the id of ${what}, whose chain holds it`,
    [{ path: 'id', message: `is ${what}` }],
  );
}

/** The `pruned` error when retention pruned the event of this id (with its whole chain). */
async function refusePruned(store: EventStore, id: string, type: StoredRow['type']) {
  const pruned = await store.prunedById(id);
  if (pruned?.type !== type) return;
  const { prunedAt, prunedBy } = pruned.pruned;
  throw new DeclogError(
    'pruned',
    `the ${type} "${id}" (seq ${pruned.seq}) was pruned by retention at ${prunedAt} by ${prunedBy}; ` +
      `its leaf hash stays in the log (GET /v1/events/${pruned.seq})`,
  );
}

function checkId(id: string, what: string): void {
  if (!EventId.safeParse(id).success) {
    throw new DeclogError(
      'invalid_parameter',
      `${what} must be 1-128 characters of A-Z a-z 0-9 . _ : -`,
      [{ path: 'id', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }],
    );
  }
}
