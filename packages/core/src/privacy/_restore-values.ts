import type { EventType } from '../contract/event-schema.js';
import { parsePointer, setMember, type PointerTokens } from './_json-pointer.js';
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
  const names = Object.keys(values).sort();
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

/**
 * Replaces each object or array on the way to the member `tokens` points to (not the member
 * itself) with a shallow copy, unless it is one already; returns `root`.
 */
function copyPath<T extends object>(root: T, tokens: PointerTokens, copies: Set<object>): T {
  let node: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    if (node === null || typeof node !== 'object') break;
    const holder = node as Record<string, unknown>;
    const child = Object.hasOwn(holder, token) ? holder[token] : undefined;
    if (child === null || typeof child !== 'object') break;
    let copy = child;
    if (!copies.has(child)) {
      copy = Array.isArray(child) ? [...(child as unknown[])] : { ...child };
      copies.add(copy);
      holder[token] = copy;
    }
    node = copy;
  }
  return root;
}
