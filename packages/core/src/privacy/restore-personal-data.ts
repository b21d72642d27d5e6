import { copyJson } from '../_copy-json.js';
import type { EventType } from '../contract/event-schema.js';
import { restoreValues } from './_restore-values.js';
import type { PersonalValues, WithPersonal } from './personal-commitment.js';

/**
 * The event as submitted, for display: `values` (from `openPersonalData`) put back at
 * their pointers and the `personal` member dropped. Other members (`seq`, `recorded_at`)
 * stay. An event without a `personal` member is returned as it is.
 *
 * @throws RangeError when `values` does not name exactly the sealed fields, or a field
 *   is not a personal field with a place in the event: the values belong to another event.
 */
export function restorePersonalData<E extends WithPersonal & { readonly type: EventType }>(
  event: E,
  values: PersonalValues,
): Omit<E, 'personal'> {
  return restoreValues(event, values, copyJson);
}
