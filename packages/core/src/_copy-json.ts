/**
 * A deep copy of JSON data (plain objects, arrays and scalars) of any nesting depth: an
 * explicit stack, not recursion (structuredClone gives up after a few thousand levels). Every
 * own member is copied as data, `__proto__` included, and no prototype is ever set.
 */
export function copyJson<T>(value: T): T {
  if (!isContainer(value)) return value;
  const root = emptyLike(value);
  const stack: [object, object][] = [[value, root]];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const [source, target] = pair;
    const keys = Array.isArray(source) ? null : Object.keys(source);
    const count = keys === null ? (source as unknown[]).length : keys.length;
    for (let i = 0; i < count; i += 1) {
      const key = keys === null ? i : (keys[i] as string);
      let member = (source as Record<string | number, unknown>)[key];
      if (isContainer(member)) {
        const copy = emptyLike(member);
        stack.push([member, copy]);
        member = copy;
      }
      defineMember(target, key, member);
    }
  }
  return root as T;
}

/**
 * Adds a member as data. An assignment to `__proto__` would set the object's prototype
 * instead (and drop the member): it is defined as the own property JSON.parse makes.
 */
export function defineMember(target: object, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else (target as Record<string | number, unknown>)[key] = value;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function emptyLike(value: object): object {
  return Array.isArray(value) ? [] : {};
}
