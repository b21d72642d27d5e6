import { writeJson, type JsonWriting } from './_json-writer.js';

/**
 * RFC 8785 (JCS) canonical JSON text of a value: object members sorted by the UTF-16 code
 * units of their names, no whitespace, ECMAScript number and string serialisation (which is
 * what JSON.stringify does for a single number or string). Ledger leaves are these bytes, so
 * anyone can recompute them. Written by hand because it sits on the ingest hot path: it is
 * several times faster than the general-purpose packages and rejects what I-JSON cannot hold.
 *
 * Any nesting depth: written with an explicit stack, never by recursion (see writeJson).
 *
 * @throws TypeError for non-finite numbers, lone surrogates and values JSON cannot represent.
 */
export function canonicalJson(value: unknown): string {
  return writeJson(value, CANONICAL);
}

const CANONICAL: JsonWriting = { canonical: true, keysOf: sortedKeys };

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

function canonicalString(text: string): string {
  if (!text.isWellFormed()) throw new TypeError('a string holds a lone surrogate');
  return JSON.stringify(text);
}

/**
 * Whether `text` is exactly the canonical JSON of `value` (as `JSON.parse(text)` gives it, or
 * a value received beside the text): `canonicalJson(value) === text`, false where `value`
 * has no canonical form. Any nesting depth, like canonicalJson.
 */
export function isCanonicalJsonText(text: string, value: unknown): boolean {
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}
