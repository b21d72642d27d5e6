import type { Api } from './api-client';
import { fillPage } from './fill-page';
import type { DecisionChain, Page, StoredAction, StoredDecision } from './stored-events';

/** Action kinds that put a decision before a person until a later action settles it. */
const AWAITING = ['human_review', 'escalation'] as const;

/** How many decisions with such an action the queue looks at, newest first, per kind. */
export const QUEUE_WINDOW = 100;

export interface ReviewQueue {
  /** Decisions whose last action awaits a person, oldest first, with their chains. */
  readonly items: readonly DecisionChain[];
  /** Whether more decisions with such an action exist beyond the window looked at. */
  readonly more: boolean;
}

/** The last action of a chain, in the API's order (`occurred_at`, then `seq`). */
export function lastAction(chain: DecisionChain): StoredAction | undefined {
  return chain.actions.at(-1);
}

/**
 * The review queue from the public API alone: the newest decisions that have a
 * `human_review` or `escalation` action (`GET /v1/decisions?action_kind=...`), kept when that
 * kind is also their last action, oldest first. Each chain read is a read like any other (the
 * access trail records it); four at a time.
 */
export async function reviewQueue(api: Api, model: string): Promise<ReviewQueue> {
  const lists = await Promise.all(
    AWAITING.map((kind) =>
      fillPage<StoredDecision>(
        (cursor, limit) => {
          const query: Record<string, string | undefined> = {
            action_kind: kind,
            limit: String(limit),
            model: model === '' ? undefined : model,
            cursor: cursor ?? undefined,
          };
          return api.json<Page<StoredDecision>>('/v1/decisions', query);
        },
        null,
        QUEUE_WINDOW,
      ),
    ),
  );
  const ids = [...new Set(lists.flatMap((list) => list.items.map((d) => d.id)))];
  const chains: DecisionChain[] = [];
  for (let i = 0; i < ids.length; i += 4) {
    const batch = ids.slice(i, i + 4);
    chains.push(
      ...(await Promise.all(
        batch.map((id) => api.json<DecisionChain>(`/v1/decisions/${encodeURIComponent(id)}`)),
      )),
    );
  }
  const awaiting = chains.filter((chain) =>
    (AWAITING as readonly string[]).includes(lastAction(chain)?.action.kind ?? ''),
  );
  awaiting.sort(
    (a, b) =>
      Date.parse(a.decision.occurred_at) - Date.parse(b.decision.occurred_at) ||
      a.decision.seq - b.decision.seq,
  );
  return { items: awaiting, more: lists.some((list) => list.next !== null) };
}
