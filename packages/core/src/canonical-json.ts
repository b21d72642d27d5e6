/**
 * RFC 8785 (JCS) canonical JSON text of a value: object members sorted by the UTF-16 code
 * units of their names, no whitespace, ECMAScript number and string serialisation (which is
 * what JSON.stringify does for a single number or string). Ledger leaves are these bytes, so
 * anyone can recompute them. Written by hand because it sits on the ingest hot path: it is
 * several times faster than the general-purpose packages and rejects what I-JSON cannot hold.
 *
 * @throws TypeError for non-finite numbers, lone surrogates and values JSON cannot represent;
 *   RangeError when nesting is too deep for the stack.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON representation`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return canonicalArray(value);
      return `{${canonicalMembers(value as Record<string, unknown>).join(',')}}`;
    default:
      throw new TypeError(`a ${typeof value} has no JSON representation`);
  }
}

/**
 * The members of an object as canonical `"name":value` texts in canonical order, so that a
 * caller can add members later without encoding the rest again. Undefined members are
 * skipped, as JSON.stringify does.
 */
export function canonicalMembers(object: Readonly<Record<string, unknown>>): string[] {
  const members: string[] = [];
  for (const key of sortedKeys(object)) {
    const member = object[key];
    if (member !== undefined) members.push(`${canonicalString(key)}:${canonicalJson(member)}`);
  }
  return members;
}

/**
 * The object's own enumerable keys in canonical order: by UTF-16 code units, as
 * `Object.keys(object).sort()` orders them. An object of the contract has a few keys, often
 * in order already; for those an insertion sort is much cheaper than the engine's sort, which
 * allocates a merge state of its own on every call (about 10 KB per event encoded).
 */
export function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  if (keys.length > SMALL_OBJECT_KEYS) return keys.sort();
  for (let i = 1; i < keys.length; i += 1) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j -= 1;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** Up to this many keys, {@link sortedKeys} sorts by insertion. */
const SMALL_OBJECT_KEYS = 24;

function canonicalArray(array: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < array.length; i += 1) {
    if (i > 0) text += ',';
    const item = array[i];
    text += item === undefined ? 'null' : canonicalJson(item);
  }
  return `${text}]`;
}

function canonicalString(text: string): string {
  if (!text.isWellFormed()) throw new TypeError('a string holds a lone surrogate');
  return JSON.stringify(text);
}

/**
 * Whether `text` is exactly the canonical JSON of `value` (which `JSON.parse(text)` gave).
 * The same answer as `canonicalJson(value) === text`, several times faster for verifiers that
 * check every stored leaf: the engine's own serialisation matches RFC 8785 for a single string
 * or number, so only member order and lone surrogates need checking on top of it.
 */
export function isCanonicalJsonText(text: string, value: unknown): boolean {
  if (JSON.stringify(value) !== text || !membersSorted(value)) return false;
  // A \uD800-\uDFFF escape may be a lone surrogate, which canonical JSON cannot hold. Most
  // texts hold no \u escape at all, and a plain substring search says so fastest.
  if (text.includes('\\u') && /\\u[dD][89a-fA-F]/.test(text)) {
    try {
      return canonicalJson(value) === text;
    } catch {
      return false;
    }
  }
  return true;
}

function membersSorted(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(membersSorted);
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i += 1) {
    if ((keys[i - 1] as string) >= (keys[i] as string)) return false;
  }
  return keys.every((key) => membersSorted((value as Record<string, unknown>)[key]));
}
