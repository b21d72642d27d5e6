/**
 * How {@link writeJson} writes: `canonical` is RFC 8785 (members sorted by UTF-16 code units,
 * and a TypeError for what I-JSON cannot hold); otherwise JSON.stringify's output for JSON
 * data (members in insertion order, non-finite numbers as `null`). `indent` pretty-prints as
 * `JSON.stringify(value, null, indent)` does.
 */
export interface JsonWriting {
  readonly canonical: boolean;
  readonly keysOf: (object: object) => string[];
  readonly indent?: string;
}

/**
 * Nesting deeper than this is refused with a RangeError. What declog writes is an event or
 * holds events (a stored event of at most 64 KiB nests at most 32,768 levels), so this only
 * stops a cyclic value from growing the stack until memory runs out.
 */
export const MAX_WRITTEN_DEPTH = 1_000_000;

/**
 * Containers nested deeper than this are written compactly, even when indenting: indenting
 * every level of a value nested n levels deep takes about n² characters (a 30,000-level event
 * would take gigabytes). The text still parses to the same value.
 */
export const MAX_INDENTED_DEPTH = 64;

/** An object or array being written: its members' keys (null for an array) and the next one. */
interface Frame {
  readonly container: object;
  readonly keys: readonly string[] | null;
  index: number;
  written: boolean;
}

/**
 * The JSON text of a value of any nesting depth: an explicit stack instead of recursion, so
 * that no input can exhaust the call stack (JSON.stringify gives up at a few thousand levels,
 * while JSON.parse reads any depth).
 *
 * @throws TypeError for what has no JSON form (a function, a bigint; when canonical also
 *   non-finite numbers and lone surrogates); RangeError beyond {@link MAX_WRITTEN_DEPTH}.
 */
export function writeJson(value: unknown, how: JsonWriting): string {
  if (typeof value !== 'object' || value === null) return scalarText(value, how.canonical);
  const indent = how.indent ?? '';
  const stack: Frame[] = [];
  let out = '';
  let next: unknown = value;
  for (;;) {
    if (typeof next === 'object' && next !== null) {
      if (stack.length >= MAX_WRITTEN_DEPTH) throw new RangeError('the value is nested too deeply');
      const array = Array.isArray(next);
      out += array ? '[' : '{';
      stack.push({
        container: next,
        keys: array ? null : how.keysOf(next),
        index: 0,
        written: false,
      });
    } else out += scalarText(next, how.canonical);
    // Close every finished container, then move to the next member or item, if any.
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return out;
      const depth = stack.length;
      const indented = indent !== '' && depth <= MAX_INDENTED_DEPTH;
      const member = nextMember(frame, how.canonical);
      if (member === DONE) {
        stack.pop();
        if (frame.written && indented) out += `\n${indent.repeat(depth - 1)}`;
        out += frame.keys === null ? ']' : '}';
        continue;
      }
      if (frame.written) out += ',';
      frame.written = true;
      if (indented) out += `\n${indent.repeat(depth)}`;
      if (frame.keys !== null) {
        out += `${stringText(frame.keys[frame.index - 1] as string, how.canonical)}:`;
        if (indented) out += ' ';
      }
      next = member;
      break;
    }
  }
}

const DONE = Symbol('done');

/** The frame's next value to write (advancing it), or DONE. */
function nextMember(frame: Frame, canonical: boolean): unknown {
  const { container, keys } = frame;
  if (keys === null) {
    const array = container as readonly unknown[];
    if (frame.index >= array.length) return DONE;
    const item = array[frame.index++];
    // As JSON.stringify does: an array keeps its positions, so what has no JSON form is null.
    return item === undefined || (!canonical && !hasJsonForm(item)) ? null : item;
  }
  const object = container as Readonly<Record<string, unknown>>;
  while (frame.index < keys.length) {
    const member = object[keys[frame.index++] as string];
    // Undefined members are skipped, as JSON.stringify skips them (and functions and symbols).
    if (member !== undefined && (canonical || hasJsonForm(member))) return member;
  }
  return DONE;
}

function hasJsonForm(value: unknown): boolean {
  return typeof value !== 'function' && typeof value !== 'symbol';
}

function scalarText(value: unknown, canonical: boolean): string {
  switch (typeof value) {
    case 'string':
      return stringText(value, canonical);
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      if (canonical) throw new TypeError(`${value} has no JSON representation`);
      return 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return 'null'; // null: containers are written by the caller
    default:
      throw new TypeError(`a ${typeof value} has no JSON representation`);
  }
}

function stringText(text: string, canonical: boolean): string {
  if (canonical && !text.isWellFormed()) throw new TypeError('a string holds a lone surrogate');
  return JSON.stringify(text);
}
