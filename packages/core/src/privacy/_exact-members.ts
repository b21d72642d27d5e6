/**
 * Whether `value` is an object (not an array) whose enumerable members, own and inherited,
 * are exactly `names`: the members a strict zod object looks at (it lists them with
 * `for…in`), so that a hand-written check accepts no object that the schema refuses.
 */
export function hasExactMembers(
  value: unknown,
  names: readonly string[],
): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  let count = 0;
  for (const name in value) {
    if (!names.includes(name)) return false;
    count += 1;
  }
  return count === names.length;
}
