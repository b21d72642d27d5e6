/**
 * Whether a JSON text may repeat a member name within one object, given the value JSON.parse
 * made of it (which silently keeps the last of repeated members). One cheap pass: the member
 * names written in the text are counted and compared with the members of the parsed objects,
 * which are one fewer for each repeat. False means no repeat; true (a mismatch, or a value
 * nested too deep to count without recursion) sends the caller to {@link repeatedMembers}.
 *
 * @param text valid JSON text: JSON.parse(text) gave `parsed`
 */
export function mayRepeatMembers(text: string, parsed: unknown): boolean {
  const counted = valueMembers(parsed, MAX_COUNTED_DEPTH);
  return counted < 0 || counted !== textMembers(text);
}

/**
 * The paths of the members whose names repeat an earlier member of the same object, in text
 * order: `{"a":{"b":1,"b":2}}` gives `[['a', 'b']]`. Reads the text with an explicit stack, so
 * any depth is fine; slower than {@link mayRepeatMembers}, which tells when it is needed.
 *
 * @param text valid JSON text
 */
export function repeatedMembers(text: string): (string | number)[][] {
  const repeats: (string | number)[][] = [];
  // The open containers: an object's names so far and its latest name, an array's index.
  const stack: { names: Set<string> | null; key: string | number }[] = [];
  for (let at = 0; at < text.length;) {
    const code = text.charCodeAt(at);
    const top = stack[stack.length - 1];
    if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      stack.push(code === OPEN_OBJECT ? { names: new Set(), key: '' } : { names: null, key: 0 });
      at += 1;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      stack.pop();
      at += 1;
    } else if (code === COMMA && top !== undefined && top.names === null) {
      top.key = (top.key as number) + 1;
      at += 1;
    } else if (code === QUOTE) {
      const close = closingQuote(text, at);
      const after = afterSpace(text, close + 1);
      if (top?.names && text.charCodeAt(after) === COLON) {
        const name = JSON.parse(text.slice(at, close + 1)) as string;
        if (top.names.has(name)) repeats.push([...stack.slice(0, -1).map((c) => c.key), name]);
        top.names.add(name);
        top.key = name;
      }
      at = close + 1;
    } else at += 1;
  }
  return repeats;
}

/**
 * Values nested deeper than this are not counted (the count would recurse that deep): the
 * caller then looks for repeats with {@link repeatedMembers}. Twice the contract's depth
 * limit, so that a request body with its events is counted in one go.
 */
const MAX_COUNTED_DEPTH = 64;

/** Members of the objects in `value`, or -1 when it nests deeper than `levels`. */
function valueMembers(value: unknown, levels: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (levels === 0) return -1;
  let members = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const inner = valueMembers(value[i], levels - 1);
      if (inner < 0) return -1;
      members += inner;
    }
    return members;
  }
  // for…in is the quickest walk of a parsed object's members. It would also count inherited
  // enumerable members, which a parsed object has none of unless Object.prototype was
  // changed: that makes a mismatch, and the caller then looks for repeats the slow way.
  for (const key in value) {
    members += 1;
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === 'object' && member !== null) {
      const inner = valueMembers(member, levels - 1);
      if (inner < 0) return -1;
      members += inner;
    }
  }
  return members;
}

/**
 * Member names written in a valid JSON text. By the grammar a colon outside a string follows
 * a name's closing quote, or whitespace after it; a colon inside a string can follow a quote
 * only when that quote is escaped. So the colons are counted whose previous character is a
 * quote not escaped: colons are fewer than quotes, and this takes the fewest searches. A
 * colon after whitespace may or may not end a name: then each string is found instead.
 */
function textMembers(text: string): number {
  let members = 0;
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    const before = text.charCodeAt(colon - 1);
    if (before === QUOTE) {
      if (!isEscaped(text, colon - 1)) members += 1;
    } else if (isSpace(before)) return stringMembers(text);
  }
  return members;
}

/** {@link textMembers}, finding each string: outside strings a valid text holds no quote. */
function stringMembers(text: string): number {
  let members = 0;
  for (let open = text.indexOf('"'); open >= 0;) {
    const close = closingQuote(text, open);
    if (close < 0) return members;
    const after = afterSpace(text, close + 1);
    if (text.charCodeAt(after) === COLON) members += 1;
    open = text.indexOf('"', after);
  }
  return members;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
  return backslashes % 2 === 1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The quote that closes the string opening at `open` (one not escaped by a backslash). */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close > 0 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
  return close;
}

/** The first position at or after `at` that is not JSON whitespace. */
function afterSpace(text: string, at: number): number {
  let next = at;
  while (isSpace(text.charCodeAt(next))) next += 1;
  return next;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
