/**
 * The path from `value` to the first object or array (in document order) that lies deeper
 * than `maxDepth`, when `value` itself is at level `depth` (an object or array there counts
 * as that level); null when nothing does. An explicit stack, never recursion, and nothing
 * below the limit is visited: a value of any depth costs at most the part within the limit.
 *
 * @example nestingTooDeep({ a: [[1]] }, 1, 2) // ['a', 0]
 */
export function nestingTooDeep(
  value: unknown,
  depth: number,
  maxDepth: number,
): (string | number)[] | null {
  const stack: Visit[] = [{ value, level: depth, key: null, parent: null }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const node = visit.value;
    if (!isContainer(node)) continue;
    if (visit.level > maxDepth) return pathOf(visit);
    const level = visit.level + 1;
    // Pushed last to first, so that the first member is visited first.
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) {
        const item: unknown = node[i];
        if (isContainer(item)) stack.push({ value: item, level, key: i, parent: visit });
      }
    } else {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i] as string;
        const member = (node as Record<string, unknown>)[key];
        if (isContainer(member)) stack.push({ value: member, level, key, parent: visit });
      }
    }
  }
  return null;
}

interface Visit {
  readonly value: unknown;
  readonly level: number;
  readonly key: string | number | null;
  readonly parent: Visit | null;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | null = visit; at !== null && at.key !== null; at = at.parent) {
    path.push(at.key);
  }
  return path.reverse();
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
