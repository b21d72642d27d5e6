import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson, isCanonicalJsonText, sortedKeys } from './canonical-json.js';

/** The IEEE 754 double with these bits. */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** A deep copy of a JSON value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reverseKeys(inner)]),
  );
}

const jsonValues = fc.jsonValue({ stringUnit: 'binary' });

describe('canonicalJson (RFC 8785)', () => {
  test('the example of RFC 8785 section 3.2.2', () => {
    const input =
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
      '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
      '  "literals": [null, true, false]\n}';
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  test('sorts keys by UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  test('sorts nested objects, keeps array order, drops whitespace', () => {
    expect(canonicalJson({ b: [3, 1, { z: 1, a: 2 }], a: { d: null, c: true } })).toBe(
      '{"a":{"c":true,"d":null},"b":[3,1,{"a":2,"z":1}]}',
    );
  });

  test.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('formats the double 0x%s as %s (RFC 8785 appendix B)', (hex, text) => {
    expect(canonicalJson(double(hex))).toBe(text);
  });

  test.each([
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [-0, '0'],
    [1e-7, '1e-7'],
    [4.5, '4.5'],
    [-1.5e-300, '-1.5e-300'],
  ])('formats %d as %s', (value, text) => {
    expect(canonicalJson({ n: value })).toBe(`{"n":${text}}`);
  });

  test.each([
    [
      'controls as lower-case \\u00XX',
      '\u0000\u0001\u000f\u001f',
      '"\\u0000\\u0001\\u000f\\u001f"',
    ],
    ['the short escapes', '\b\t\n\f\r', '"\\b\\t\\n\\f\\r"'],
    ['quote and backslash', '"\\', '"\\"\\\\"'],
    ['slash and DEL as they are', '/\u007f', '"/\u007f"'],
    ['non-ASCII as it is', 'é€😀\u2028\u2029', '"é€😀\u2028\u2029"'],
  ])('escapes %s', (_name, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  test.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a lone surrogate', 'a\ud800b'],
    ['a lone surrogate in a key', { '\udc00': 1 }],
    ['undefined', undefined],
  ])('rejects %s, which I-JSON cannot hold', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow();
  });

  test('drops undefined object members, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  test('is a fixed point: canonicalising the parsed text changes nothing', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  test('does not depend on key order', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
      }),
    );
  });

  test('parses back to the same value', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(JSON.parse(canonicalJson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  test('writes numbers and well-formed strings as ECMAScript JSON.stringify does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.string({ unit: 'binary' }),
        ),
        (value) => {
          expect(canonicalJson(value)).toBe(JSON.stringify(value));
        },
      ),
    );
  });
});

describe('canonicalJson at any depth', () => {
  // Events stored before the contract limited nesting may hold ~32,000 levels: every leaf must
  // still be recomputed, where a recursive encoder overflows the stack at a few thousand.
  const depth = 100_000;
  const text = `{"a":${'[{"b":'.repeat(depth)}1${'}]'.repeat(depth)},"z":true}`;

  test('encodes, and recognises as canonical, 100,000 levels of nesting', () => {
    const value: unknown = JSON.parse(text);
    expect(canonicalJson(value)).toBe(text);
    expect(isCanonicalJsonText(text, value)).toBe(true);
    expect(isCanonicalJsonText(text.replace('"z":true', '"z":false'), value)).toBe(false);
  });

  test('sorts members at every depth', () => {
    const unsorted = `${'{"y":1,"x":'.repeat(depth)}0${'}'.repeat(depth)}`;
    const sorted = `${'{"x":'.repeat(depth)}0${',"y":1}'.repeat(depth)}`;
    expect(canonicalJson(JSON.parse(unsorted))).toBe(sorted);
    expect(isCanonicalJsonText(unsorted, JSON.parse(unsorted))).toBe(false);
  });
});

describe('isCanonicalJsonText', () => {
  test('accepts canonical text and rejects other spellings of the same value', () => {
    expect(isCanonicalJsonText('{"a":1,"b":[true,null]}', { a: 1, b: [true, null] })).toBe(true);
    expect(isCanonicalJsonText('{"b":1,"a":2}', JSON.parse('{"b":1,"a":2}'))).toBe(false);
    expect(isCanonicalJsonText('{"a": 1}', { a: 1 })).toBe(false);
    expect(isCanonicalJsonText('{"a":1.0}', { a: 1 })).toBe(false);
    expect(isCanonicalJsonText('"\\ud800"', JSON.parse('"\\ud800"'))).toBe(false);
    expect(isCanonicalJsonText('"\\u0041"', 'A')).toBe(false);
  });

  test('agrees with canonicalJson on canonical and on merely compact text (property)', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        let canonical: string | null;
        try {
          canonical = canonicalJson(value);
        } catch {
          canonical = null;
        }
        const compact = JSON.stringify(value);
        expect(isCanonicalJsonText(compact, JSON.parse(compact))).toBe(compact === canonical);
        if (canonical !== null) {
          expect(isCanonicalJsonText(canonical, JSON.parse(canonical))).toBe(true);
        }
      }),
    );
  });
});

describe('sortedKeys', () => {
  test('orders keys as Object.keys(…).sort() does, small objects and large', () => {
    // Keys of any UTF-16 code units, digits (integer-like keys come first in Object.keys) and
    // near-duplicates, on both sides of the size where the insertion sort gives way.
    const key = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.nat({ max: 1000 }).map(String),
      fc.constantFrom('a', 'A', 'aa', 'a\u0000', 'é', '\u{1F600}', '__proto__', '10', '9'),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.constant(1), { maxKeys: 40 }), (object) => {
        expect(sortedKeys(object)).toEqual(Object.keys(object).sort());
      }),
      { numRuns: 2000 },
    );
  });
});
