import { sortedKeys } from '../canonical-json.js';
import type { EventType } from '../contract/event-schema.js';
import { copyPath, parsePointer, setMember } from './_json-pointer.js';
import type { PersonalValues, WithPersonal } from './personal-commitment.js';
import { personalFieldOf } from './personal-fields.js';

/**
 * restorePersonalData, with `copy` applied to each value on its way into the event: a deep
 * copy when the caller keeps `values`, none when nothing else holds them.
 */
export function restoreValues<E extends WithPersonal & { readonly type: EventType }>(
  event: E,
  values: PersonalValues,
  copy: (value: unknown) => unknown,
): Omit<E, 'personal'> {
  const { personal, ...restored } = event;
  if (personal === undefined) return restored;
  const names = sortedKeys(values);
  if (names.length !== personal.fields.length || names.some((n, i) => n !== personal.fields[i])) {
    throw new RangeError('the values do not name exactly the sealed fields');
  }
  // Copied on the way down, so that the event given is never changed; the rest is shared.
  const copies = new Set<object>([restored]);
  for (const field of personal.fields) {
    const tokens = parsePointer(field);
    // Only allow-listed places: a leaf's field list must not reach `__proto__` or an id.
    const allowed = tokens !== undefined && personalFieldOf(event.type, tokens) !== undefined;
    if (!allowed || !setMember(copyPath(restored, tokens, copies), tokens, copy(values[field]))) {
      throw new RangeError(`${field} has no place in the event`);
    }
  }
  return restored;
}
