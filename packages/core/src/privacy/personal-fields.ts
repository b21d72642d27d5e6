import type { EventType } from '../contract/event-schema.js';
import { failure, type Failure } from '../ledger/failure.js';
import { matchesPattern, parsePointer, type PointerTokens } from './_json-pointer.js';

/** One field that may hold personal data, as an RFC 6901 pointer (`*`: any array index). */
export interface PersonalField {
  readonly type: EventType;
  readonly pointer: string;
  /** Personal whenever the event is sealed, not only when configured. */
  readonly always: boolean;
  /**
   * A required string of the contract: the leaf keeps it, holding {@link PERSONAL_PLACEHOLDER},
   * so the stored event keeps its shape. Every other field is removed from the leaf.
   */
  readonly required: boolean;
}

/** What a required personal string holds in the leaf instead of its value. */
export const PERSONAL_PLACEHOLDER = '[sealed]';

/**
 * The allow-list of fields that sealing may take out of a leaf. Identifiers, types, times,
 * links between events, model, prediction and labels are never on it: the ledger, the
 * indexes and the statistics need them, and they describe the decision rather than the
 * person. `subject.id` stays too: it names the key (see docs/privacy.md).
 */
export const PERSONAL_FIELDS: readonly PersonalField[] = [
  { type: 'decision', pointer: '/input/features', always: true, required: false },
  { type: 'decision', pointer: '/cohort', always: true, required: false },
  { type: 'decision', pointer: '/rationale/summary', always: false, required: true },
  { type: 'decision', pointer: '/rationale/reasons/*/detail', always: false, required: false },
  { type: 'action', pointer: '/action/details', always: false, required: false },
  { type: 'annotation', pointer: '/annotation/text', always: false, required: true },
];

/** Why a configured list of personal free-text fields was refused. */
export type PersonalFieldFailureCode = 'unknown-personal-field';

/**
 * The pointers to seal in an event of `type`: the fields that are always personal plus the
 * `configured` free-text fields of that type. Configured pointers of other types are
 * skipped, so one list serves every type; one that is not on {@link PERSONAL_FIELDS} fails.
 * Whether to seal at all (a decision with a `subject.id`, an annotation of such a decision)
 * is the caller's choice.
 *
 * @example personalPointers('decision', ['/rationale/summary'])
 *   // { ok: true, pointers: ['/input/features', '/cohort', '/rationale/summary'] }
 */
export function personalPointers(
  type: EventType,
  configured: readonly string[],
): { readonly ok: true; readonly pointers: readonly string[] } | Failure<PersonalFieldFailureCode> {
  for (const pointer of configured) {
    const field = PERSONAL_FIELDS.find((f) => f.pointer === pointer);
    if (field === undefined || field.always) {
      const allowed = PERSONAL_FIELDS.filter((f) => !f.always).map((f) => f.pointer);
      return failure(
        'unknown-personal-field',
        `${JSON.stringify(pointer)} cannot be configured as personal; choose from ${allowed.join(', ')}`,
      );
    }
  }
  const pointers = PERSONAL_FIELDS.filter(
    (f) => f.type === type && (f.always || configured.includes(f.pointer)),
  ).map((f) => f.pointer);
  return { ok: true, pointers };
}

/** {@link PERSONAL_FIELDS} with their pointers parsed, once: every read looks fields up. */
const PATTERNS = PERSONAL_FIELDS.map((field) => ({ field, pattern: parsePointer(field.pointer) }));

/** The allow-list entry a concrete pointer of an event of `type` falls under, if any. */
export function personalFieldOf(type: EventType, tokens: PointerTokens): PersonalField | undefined {
  return PATTERNS.find(
    ({ field, pattern }) =>
      field.type === type && pattern !== undefined && matchesPattern(tokens, pattern),
  )?.field;
}
