// RFC 6901 JSON Pointers over plain JSON values, as far as sealing needs them: the
// pointers come from the personal-field allow-list or from a stored leaf, and every
// mutation happens on a private copy.

/** A parsed pointer: its reference tokens, unescaped. */
export type PointerTokens = readonly string[];

/** The tokens of `pointer`, or undefined when it is not an RFC 6901 pointer. */
export function parsePointer(pointer: string): PointerTokens | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const tokens = pointer.slice(1).split('/');
  // Every read parses the pointers of each sealed event; they seldom hold an escape.
  if (!pointer.includes('~')) return tokens;
  if (/~(?![01])/.test(pointer)) return undefined;
  return tokens.map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The pointer text of `tokens`. */
export function formatPointer(tokens: PointerTokens): string {
  return tokens.map((token) => `/${token.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Whether concrete `tokens` match `pattern`, where a `*` token stands for any array index
 * (and only that, so a wildcard never reaches into an object's members).
 */
export function matchesPattern(tokens: PointerTokens, pattern: PointerTokens): boolean {
  return (
    tokens.length === pattern.length &&
    pattern.every((p, i) => {
      const token = tokens[i] as string;
      return p === '*' ? ARRAY_INDEX.test(token) : p === token;
    })
  );
}

/** The concrete pointers `pattern` reaches in `root` whose targets exist, in document order. */
export function expandPattern(root: unknown, pattern: PointerTokens): PointerTokens[] {
  const [head, ...rest] = pattern;
  if (head === undefined) return [[]];
  if (head === '*') {
    if (!Array.isArray(root)) return [];
    return root.flatMap((item, i) => expandPattern(item, rest).map((t) => [String(i), ...t]));
  }
  const child = childOf(root, head);
  return child === undefined ? [] : expandPattern(child, rest).map((t) => [head, ...t]);
}

/** The value at `tokens`, or undefined when nothing is there. Own members only. */
export function valueAt(root: unknown, tokens: PointerTokens): unknown {
  let node = root;
  for (const token of tokens) {
    node = childOf(node, token);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The object that holds the member `tokens` points to, with that member's name. Sealing
 * only ever removes or replaces object members: removing an array element would shift
 * the indices that other pointers name.
 */
export function parentObject(
  root: unknown,
  tokens: PointerTokens,
): { readonly parent: Record<string, unknown>; readonly name: string } | undefined {
  const name = tokens.at(-1);
  const parent = valueAt(root, tokens.slice(0, -1));
  if (name === undefined || !isObject(parent)) return undefined;
  return { parent: parent as Record<string, unknown>, name };
}

/**
 * Removes the member `tokens` points to, then every object it leaves empty up to (not
 * including) the root or an array, so a leaf never holds a hollow `"input":{}`.
 */
export function removeMember(root: unknown, tokens: PointerTokens): void {
  for (let depth = tokens.length; depth > 0; depth--) {
    const holder = parentObject(root, tokens.slice(0, depth));
    if (holder === undefined) return;
    Reflect.deleteProperty(holder.parent, holder.name);
    if (depth === 1 || Object.keys(holder.parent).length > 0) return;
  }
}

/**
 * Sets the member `tokens` points to, creating the objects {@link removeMember} pruned.
 * Returns false when the path runs through something other than objects and existing
 * array items (having perhaps created some objects: callers work on a copy and give up).
 */
export function setMember(root: unknown, tokens: PointerTokens, value: unknown): boolean {
  const name = tokens.at(-1);
  // An assignment to `__proto__` would change a prototype instead of adding a member.
  if (name === undefined || tokens.includes('__proto__')) return false;
  let node = root;
  for (const token of tokens.slice(0, -1)) {
    let child = childOf(node, token);
    if (child === undefined) {
      if (!isObject(node)) return false;
      child = {};
      (node as Record<string, unknown>)[token] = child;
    }
    node = child;
  }
  if (!isObject(node)) return false;
  (node as Record<string, unknown>)[name] = value;
  return true;
}

/**
 * Replaces each object or array on the way to the member `tokens` points to (not the member
 * itself) with a shallow copy, unless `copies` holds it already (as it must hold `root`, the
 * caller's own copy); returns `root`. A change at `tokens` then leaves the original intact,
 * and everything off the path stays shared with it.
 */
export function copyPath<T extends object>(root: T, tokens: PointerTokens, copies: Set<object>): T {
  let node: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    if (node === null || typeof node !== 'object') break;
    const holder = node as Record<string, unknown>;
    const child = Object.hasOwn(holder, token) ? holder[token] : undefined;
    if (child === null || typeof child !== 'object') break;
    let copy = child;
    if (!copies.has(child)) {
      copy = Array.isArray(child) ? [...(child as unknown[])] : { ...child };
      copies.add(copy);
      holder[token] = copy;
    }
    node = copy;
  }
  return root;
}

function childOf(node: unknown, token: string): unknown {
  if (Array.isArray(node)) return ARRAY_INDEX.test(token) ? node[Number(token)] : undefined;
  if (!isObject(node) || !Object.hasOwn(node, token)) return undefined;
  return (node as Record<string, unknown>)[token];
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
