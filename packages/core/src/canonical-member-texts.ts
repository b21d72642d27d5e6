/**
 * If `text` is the RFC 8785 canonical JSON of an object (`canonicalJson(JSON.parse(text))`
 * would give `text` back), the texts of its top-level members named in `names`, in that
 * order, undefined for those it lacks; otherwise null. One pass over the text that builds
 * nothing but the picked texts: a verifier checks every stored leaf this way, where parsing
 * and re-encoding each event would cost several times more.
 *
 * @example canonicalMemberTexts('{"seq":4,"type":"decision"}', ['seq', 'type']) // ['4', '"decision"']
 */
export function canonicalMemberTexts(
  text: string,
  names: readonly string[],
): (string | undefined)[] | null {
  // Canonical JSON holds no lone surrogate, escaped or not, and no raw control character:
  // no whitespace between tokens, and in strings only escaped ones.
  if (text.charCodeAt(0) !== OPEN_OBJECT || CONTROL.test(text) || !text.isWellFormed()) {
    return null;
  }
  const cursor: Cursor = {
    text,
    at: 0,
    backslash: text.indexOf('\\'),
    picked: names.map(() => undefined),
    names,
    valueStart: -1,
  };
  return scan(cursor) && cursor.at === text.length ? cursor.picked : null;
}

interface Cursor {
  readonly text: string;
  at: number;
  /** The first backslash at or after some earlier position, or -1: most texts have none. */
  backslash: number;
  readonly picked: (string | undefined)[];
  readonly names: readonly string[];
  /** Where the value of the top-level member being passed starts. */
  valueStart: number;
}

// eslint-disable-next-line no-control-regex -- the characters canonical JSON never holds raw
const CONTROL = /[\u0000-\u001f]/;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/**
 * Moves past the object at the cursor, picking the texts of its members. Nested objects and
 * arrays are kept on an explicit stack, not by recursion: a stored event may nest tens of
 * thousands of levels deep (events accepted before the contract limited their depth), and
 * every one must still verify. The stack is one array of numbers, {@link FRAME} a level (no
 * object is made per container: verifiers scan every stored leaf).
 */
function scan(c: Cursor): boolean {
  const { text } = c;
  const frames: number[] = [];
  // Where the innermost open container's frame starts; below 0 when none is open.
  let top = -FRAME;
  // Each turn starts a value at the cursor: a container opens, anything else is passed.
  let opening = true;
  for (;;) {
    if (opening) {
      const code = text.charCodeAt(c.at);
      if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
        const object = code === OPEN_OBJECT;
        c.at += 1;
        if (text.charCodeAt(c.at) === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          c.at += 1; // empty: closed as soon as opened
        } else {
          top += FRAME;
          // All four slots, in order: the array stays packed, which keeps it fast.
          frames[top] = object ? 1 : 0;
          frames[top + 1] = -1;
          frames[top + 2] = -1;
          frames[top + 3] = 0;
          if (object && !memberName(c, frames, top)) return false;
          continue;
        }
      } else if (!scalar(c, code)) return false;
    }
    // A value has ended: the container holding it goes on with its next member, or closes.
    if (top < 0) return true;
    const object = frames[top] === 1;
    if (object && top === 0) pick(c, frames);
    const next = text.charCodeAt(c.at);
    c.at += 1;
    if (next === COMMA) {
      if (object && !memberName(c, frames, top)) return false;
      opening = true;
    } else if (next === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) {
      top -= FRAME;
      opening = false;
    } else return false;
  }
}

/**
 * Numbers a level of the stack takes: whether it is an object (1) or an array (0), and for an
 * object the range of its latest member's name between the quotes and whether it is escaped.
 */
const FRAME = 4;

/**
 * Moves past a member's name and its colon, checking that the name comes after the previous
 * member's (canonical order: by UTF-16 code units), and notes it in the object's frame.
 */
function memberName(c: Cursor, frames: number[], frame: number): boolean {
  const start = c.at + 1;
  const kind = string(c);
  if (kind === NOT_CANONICAL) return false;
  const end = c.at - 1;
  const escaped = kind === ESCAPED;
  const previousStart = frames[frame + 1] as number;
  if (
    previousStart >= 0 &&
    !namesAscend(
      c.text,
      previousStart,
      frames[frame + 2] as number,
      frames[frame + 3] === 1,
      start,
      end,
      escaped,
    )
  ) {
    return false;
  }
  if (c.text.charCodeAt(c.at) !== COLON) return false;
  c.at += 1;
  frames[frame + 1] = start;
  frames[frame + 2] = end;
  frames[frame + 3] = escaped ? 1 : 0;
  if (frame === 0) c.valueStart = c.at;
  return true;
}

/** Moves past one canonical string, number or literal; false when there is none at the cursor. */
function scalar(c: Cursor, code: number): boolean {
  if (code === QUOTE) return string(c) !== NOT_CANONICAL;
  if (code === MINUS || isDigit(code)) return number(c);
  return literal(c, 'true') || literal(c, 'false') || literal(c, 'null');
}

const NOT_CANONICAL = 0;
const PLAIN = 1;
const ESCAPED = 2;

/**
 * Moves past a string in the one form JSON.stringify writes: only `"`, `\\`, and control
 * characters escaped, those with a short escape by it, the rest as lowercase `\\u00xx`.
 */
function string(c: Cursor): typeof NOT_CANONICAL | typeof PLAIN | typeof ESCAPED {
  const { text } = c;
  if (text.charCodeAt(c.at) !== QUOTE) return NOT_CANONICAL;
  let at = c.at + 1;
  let kind: typeof PLAIN | typeof ESCAPED = PLAIN;
  for (;;) {
    // Control characters are ruled out already: only a backslash before the quote matters.
    const quote = text.indexOf('"', at);
    if (quote < 0) return NOT_CANONICAL;
    if (c.backslash >= 0 && c.backslash < at) c.backslash = text.indexOf('\\', at);
    const slash = c.backslash;
    if (slash < 0 || slash > quote) {
      c.at = quote + 1;
      return kind;
    }
    kind = ESCAPED;
    const escape = text.charCodeAt(slash + 1);
    if (SHORT_ESCAPES.includes(escape)) {
      at = slash + 2;
      continue;
    }
    // u00XX: a control character without a short escape, in lowercase hex.
    const high = text.charCodeAt(slash + 4) - 0x30;
    const low = lowerHexDigit(text.charCodeAt(slash + 5));
    const unit = high * 16 + low;
    if (
      escape !== 0x75 ||
      text.charCodeAt(slash + 2) !== 0x30 ||
      text.charCodeAt(slash + 3) !== 0x30 ||
      (high !== 0 && high !== 1) ||
      low < 0 ||
      CONTROL_WITH_SHORT_ESCAPE.includes(unit)
    ) {
      return NOT_CANONICAL;
    }
    at = slash + 6;
  }
}

// The characters after a backslash that stand for `"`, `\`, backspace, form feed, newline,
// carriage return and tab; and the control characters those forms are required for.
const SHORT_ESCAPES: readonly number[] = [0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74];
const CONTROL_WITH_SHORT_ESCAPE: readonly number[] = [0x08, 0x0c, 0x0a, 0x0d, 0x09];

function lowerHexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/** Moves past a number written as ECMAScript writes it, the one form RFC 8785 allows. */
function number(c: Cursor): boolean {
  const { text } = c;
  const start = c.at;
  let at = text.charCodeAt(start) === MINUS ? start + 1 : start;
  const whole = at;
  while (isDigit(text.charCodeAt(at))) at += 1;
  const wholeDigits = at - whole;
  let fraction = -1;
  if (text.charCodeAt(at) === DOT) {
    fraction = at + 1;
    at = fraction;
    while (isDigit(text.charCodeAt(at))) at += 1;
  }
  if (!isNumberPart(text.charCodeAt(at))) {
    const canonical = plainNumberCanonical(text, start, whole, wholeDigits, fraction, at);
    if (canonical !== undefined) {
      c.at = at;
      return canonical;
    }
  }
  while (isDigit(text.charCodeAt(at)) || isNumberPart(text.charCodeAt(at))) at += 1;
  const written = text.slice(start, at);
  c.at = at;
  return String(Number(written)) === written;
}

/**
 * Whether a number without exponent, its whole part at `whole` and its fraction (if any) from
 * `fraction` to `end`, is in canonical form; undefined when only a conversion can tell. Up to
 * 15 significant digits a decimal is what a double holds and writes back digit for digit, so
 * only its spelling decides: no leading or trailing zero, no -0, and no fraction so small
 * that ECMAScript would write it with an exponent.
 */
function plainNumberCanonical(
  text: string,
  start: number,
  whole: number,
  wholeDigits: number,
  fraction: number,
  end: number,
): boolean | undefined {
  if (wholeDigits === 0) return false;
  const zeroWhole = text.charCodeAt(whole) === ZERO;
  if (zeroWhole && wholeDigits > 1) return false;
  if (fraction < 0) {
    if (wholeDigits > 15) return undefined;
    return !zeroWhole || whole === start;
  }
  if (end === fraction || text.charCodeAt(end - 1) === ZERO) return false;
  let significant = wholeDigits + end - fraction;
  if (zeroWhole) {
    let zeros = 0;
    while (text.charCodeAt(fraction + zeros) === ZERO) zeros += 1;
    if (zeros > 5) return false;
    significant = end - fraction - zeros;
  }
  return significant <= 15 ? true : undefined;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** `.`, `e`, `E`, `+` or `-`: what a number holds besides digits. */
function isNumberPart(code: number): boolean {
  return code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === MINUS;
}

function literal(c: Cursor, word: string): boolean {
  if (!c.text.startsWith(word, c.at)) return false;
  c.at += word.length;
  return true;
}

/** Whether the name at `start`–`end` comes after the one at `previousStart`–`previousEnd`. */
function namesAscend(
  text: string,
  previousStart: number,
  previousEnd: number,
  previousEscaped: boolean,
  start: number,
  end: number,
  escaped: boolean,
): boolean {
  if (previousEscaped || escaped) {
    return (
      nameAt(text, previousStart, previousEnd, previousEscaped) < nameAt(text, start, end, escaped)
    );
  }
  // Unescaped names are their own code units: compare them in place.
  const length = Math.min(previousEnd - previousStart, end - start);
  for (let k = 0; k < length; k += 1) {
    const before = text.charCodeAt(previousStart + k);
    const after = text.charCodeAt(start + k);
    if (before !== after) return before < after;
  }
  return end - start > previousEnd - previousStart;
}

function nameAt(text: string, start: number, end: number, escaped: boolean): string {
  const raw = text.slice(start, end);
  return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** Keeps the text of the top-level member just passed if it is one of the names asked for. */
function pick(c: Cursor, frames: readonly number[]): void {
  const { text, names } = c;
  const start = frames[1] as number;
  const end = frames[2] as number;
  const escaped = frames[3] === 1;
  for (let k = 0; k < names.length; k += 1) {
    const name = names[k] as string;
    const same = escaped
      ? nameAt(text, start, end, true) === name
      : end - start === name.length && text.startsWith(name, start);
    if (same) c.picked[k] = text.slice(c.valueStart, c.at);
  }
}
