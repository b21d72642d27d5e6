// Argument checks shared by the statistics functions: each failure is a RangeError whose
// message names the function, the argument (with the index of a bad element) and the rule.

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return value === undefined ? 'undefined' : typeof value;
}

export function fail(fn: string, name: string, rule: string, value?: unknown): never {
  const got = arguments.length > 3 ? ` (got ${show(value)})` : '';
  throw new RangeError(`${fn}: ${name} ${rule}${got}`);
}

/** An array, of at least `min` elements. */
export function checkArray(fn: string, name: string, value: unknown, min = 1): readonly unknown[] {
  if (!Array.isArray(value)) fail(fn, name, 'must be an array', value);
  if (value.length < min) {
    fail(fn, name, min === 1 ? 'must not be empty' : `must hold at least ${min} values`);
  }
  return value;
}

/** A non-empty array of finite numbers. */
export function checkFinite(fn: string, name: string, value: unknown, min = 1): readonly number[] {
  const values = checkArray(fn, name, value, min);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail(fn, `${name}[${i}]`, 'must be a finite number', v);
    }
  }
  return values as readonly number[];
}

/** Two arrays of the same length. */
export function checkSameLength(
  fn: string,
  name: string,
  value: readonly unknown[],
  otherName: string,
  other: readonly unknown[],
): void {
  if (value.length !== other.length) {
    fail(
      fn,
      name,
      `must have as many values as ${otherName} (${other.length}), not ${value.length}`,
    );
  }
}

/** A finite number within [min, max] (either bound may be open). */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(fn, name, 'must be a finite number', value);
  }
  const { min, max, minOpen = false, maxOpen = false } = range;
  if (min !== undefined && (minOpen ? value <= min : value < min)) {
    fail(fn, name, `must be ${minOpen ? 'greater than' : 'at least'} ${min}`, value);
  }
  if (max !== undefined && (maxOpen ? value >= max : value > max)) {
    fail(fn, name, `must be ${maxOpen ? 'less than' : 'at most'} ${max}`, value);
  }
  return value;
}

/** An integer within [min, max]. */
export function checkInteger(
  fn: string,
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    fail(fn, name, 'must be an integer', value);
  }
  if (value < min) fail(fn, name, `must be at least ${min}`, value);
  if (value > max) fail(fn, name, `must be at most ${max}`, value);
  return value;
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(
  fn: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(fn, name, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
  }
  return value as T;
}

/** An options argument: undefined or an object naming only the known options. */
export function checkOptions(
  fn: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(fn, 'options', 'must be an object', value);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      fail(fn, `options.${key}`, `is not an option (known: ${known.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}
