import { z } from 'zod';
import { EVENT_TYPES, Event } from './event-schema.js';
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

/**
 * Checks one submitted event against the contract and names every bad field.
 *
 * @example validateEvent({ type: 'action' }).issues // [{ path: 'occurred_at', ... }, ...]
 */
export function validateEvent(input: unknown): EventValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  }
  // A valid event is checked once, by the generated validator, and is returned as it came:
  // the contract has no defaults or transforms, so zod's copy of it would be the same values.
  if (COMPILED_EVENT.validate(input)) return { ok: true, event: input };
  // reportInput tells a missing field (no input) from a present but wrong one.
  const reported = Event.safeParse(input, { reportInput: true });
  if (reported.success) return { ok: true, event: reported.data };
  return { ok: false, issues: reported.error.issues.flatMap(toIssues) };
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
