const RANK: Readonly<Record<string, number>> = {
  decision: 0,
  action: 1,
  outcome: 2,
  annotation: 3,
};

/**
 * Sorts a decision's chain as `GET /v1/decisions/{id}` and the docs present it: the decision,
 * then its actions, outcomes and annotations, each kind in the order it was recorded (seq).
 * An unknown type sorts last. Returns a new array.
 */
export function inChainOrder<T>(
  items: readonly T[],
  typeAndSeq: (item: T) => { readonly type: unknown; readonly seq: number },
): T[] {
  const rank = (item: T) => {
    const { type } = typeAndSeq(item);
    return typeof type === 'string' ? (RANK[type] ?? 4) : 4;
  };
  return [...items].sort((a, b) => rank(a) - rank(b) || typeAndSeq(a).seq - typeAndSeq(b).seq);
}
