import { z } from 'zod';
import { EVENT_TYPES, Event, RECORDS, type EventType } from './event-schema.js';
import { LIMITS } from './limits.js';
import { nestingTooDeep } from './nesting-too-deep.js';
import { formatPath, type ValidationIssue } from './validation-issue.js';

/**
 * The contract compiled by zod into generated code (`z.compile`): the schema's own verdicts, in
 * about a quarter of the time of its interpreter (a property test holds the two together).
 * Where generated code cannot run, zod falls back to the interpreter.
 */
const COMPILED_EVENT = z.compile(Event);

export type EventValidation =
  | { readonly ok: true; readonly event: Event }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export interface ValidateOptions {
  /**
   * Whether to hold the event to {@link LIMITS.maxEventDepth} (default true). Only what
   * re-reads events stored before the contract limited their depth turns it off.
   */
  readonly depthLimit?: boolean;
}

/**
 * Checks one submitted event against the contract and names every bad field. A valid event is
 * given back as it was passed (the contract has no defaults or transforms), so that no member
 * is lost: a record's `__proto__` member, say, which a copy made by assignment would drop.
 *
 * @example validateEvent({ type: 'action' }).issues // [{ path: 'occurred_at', ... }, ...]
 */
export function validateEvent(input: unknown, options: ValidateOptions = {}): EventValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  }
  // A valid event is checked once, by the generated validator, without the inputs in the
  // issues: recording them costs about a third more on every event, and only an invalid one
  // needs them.
  const protoIssues = protoMemberIssues(input as Readonly<Record<string, unknown>>);
  if (!COMPILED_EVENT.validate(input)) {
    // reportInput tells a missing field (no input) from a present but wrong one.
    const reported = Event.safeParse(input, { reportInput: true });
    if (!reported.success) {
      const issues = [...reported.error.issues.flatMap(toIssues), ...protoIssues];
      // Anywhere in an invalid event: it may be deep where the contract wants a string.
      const path = options.depthLimit === false ? null : nestingTooDeep(input, 1, MAX_DEPTH);
      return { ok: false, issues: path ? [...issues, depthIssue(path)] : issues };
    }
  }
  if (protoIssues.length > 0) return { ok: false, issues: protoIssues };
  const event = input as Event;
  const tooDeep = options.depthLimit === false ? null : freeFormTooDeep(event);
  return tooDeep ? { ok: false, issues: [tooDeep] } : { ok: true, event };
}

const MAX_DEPTH = LIMITS.maxEventDepth;

function depthIssue(path: readonly (string | number)[]): ValidationIssue {
  return {
    path: formatPath(path),
    message: `nests deeper than ${MAX_DEPTH} levels of objects and arrays (the event itself is level 1)`,
  };
}

/**
 * In a valid event, the contract bounds the depth of every member but the free-form ones, which hold any JSON
 * (`prediction.value`, and the values of `action.details`): only they can nest deeper than
 * the limit, and only they are walked.
 */
function freeFormTooDeep(event: Event): ValidationIssue | null {
  const [base, value] =
    event.type === 'decision'
      ? [['prediction', 'value'], event.prediction.value]
      : event.type === 'action'
        ? [['action', 'details'], event.action.details]
        : [[], undefined];
  // Both lie at level 3 of the event: event, then prediction or action, then them.
  const path = nestingTooDeep(value, 3, MAX_DEPTH);
  return path === null ? null : depthIssue([...base, ...path]);
}

/**
 * What is wrong with the `__proto__` members of the event's records, which zod skips (see
 * RECORDS): JSON.parse makes them own members like any other, and they are kept as data.
 */
function protoMemberIssues(input: Readonly<Record<string, unknown>>): ValidationIssue[] {
  const type = input['type'];
  if (typeof type !== 'string' || !Object.hasOwn(RECORDS, type)) return [];
  const issues: ValidationIssue[] = [];
  for (const { path, values } of RECORDS[type as EventType]) {
    let record: unknown = input;
    for (const key of path) {
      const holder = record as Readonly<Record<string, unknown>>;
      record = isObject(holder) && Object.hasOwn(holder, key) ? holder[key] : undefined;
    }
    if (!isObject(record) || !Object.hasOwn(record, '__proto__')) continue;
    const value: unknown = (record as Readonly<Record<string, unknown>>)['__proto__'];
    const checked = values.safeParse(value, { reportInput: true });
    if (checked.success) continue;
    for (const issue of checked.error.issues) {
      issues.push(...toIssues({ ...issue, path: [...path, '__proto__', ...issue.path] }));
    }
  }
  return issues;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toIssues(issue: z.core.$ZodIssue): ValidationIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'unknown field (free-form data belongs in labels, details or input.features)',
    }));
  }
  const path = formatPath(issue.path);
  if (issue.code === 'invalid_union' && path === 'type') {
    return [{ path, message: `must be one of ${EVENT_TYPES.join(', ')}` }];
  }
  if (issue.input === undefined && issue.code !== 'custom') {
    return [{ path, message: 'is required' }];
  }
  if (issue.code === 'invalid_key') {
    return [{ path, message: 'keys must be 1-256 characters' }];
  }
  if (issue.code === 'invalid_type' && issue.expected === 'record') {
    return [{ path, message: `must be an object, not ${describe(issue.input)}` }];
  }
  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    return [{ path, message: `must be one of ${issue.values.map(String).join(', ')}` }];
  }
  return [{ path, message: lowerFirst(issue.message.replace(/^Invalid input: /, '')) }];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
