import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { canonicalMemberTexts } from './canonical-member-texts.js';

/** What the scan must agree with: the text is the canonical JSON of the object it parses to. */
function isCanonicalObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      canonicalJson(value) === text
    );
  } catch {
    return false;
  }
}

const objects = fc.dictionary(
  fc.string({ unit: 'binary' }),
  fc.jsonValue({ stringUnit: 'binary' }),
);
// Characters that matter to JSON's grammar and to canonical form, to edit texts with.
const edits = fc.constantFrom(
  ...'{}[]",:\\ \n0123456789.eE+-truefalsn/u\u00e9\u2028\ud83d\ude00\u001f'.split(''),
);

describe('canonicalMemberTexts', () => {
  test('scans 100,000 levels of nesting without recursion', () => {
    // Events stored before the contract limited nesting may hold ~32,000 levels.
    const depth = 100_000;
    const deep = `${'[{"a":'.repeat(depth)}null${'}]'.repeat(depth)}`;
    const text = `{"seq":4,"value":${deep}}`;
    expect(canonicalMemberTexts(text, ['value', 'seq'])).toEqual([deep, '4']);
    // Out of order at the bottom: not canonical.
    const unsorted = `{"seq":4,"value":${'[{"a":'.repeat(depth)}{"b":1,"a":2}${'}]'.repeat(depth)}}`;
    expect(canonicalMemberTexts(unsorted, ['seq'])).toBeNull();
    expect(canonicalMemberTexts(`${text.slice(0, -2)}}`, ['seq'])).toBeNull();
  });

  test('picks the texts of top-level members of a canonical text', () => {
    const text = canonicalJson({ type: 'decision', seq: 4, nested: { seq: 9 }, n: [1, 'x'] });
    expect(canonicalMemberTexts(text, ['seq', 'type', 'absent', 'n'])).toEqual([
      '4',
      '"decision"',
      undefined,
      '[1,"x"]',
    ]);
    expect(canonicalMemberTexts('{}', ['seq'])).toEqual([undefined]);
    expect(canonicalMemberTexts('{"a\\nb":1}', ['a\nb'])).toEqual(['1']);
  });

  test.each([
    ['{"b":1,"a":2}', 'members out of order'],
    ['{"a":1,"a":2}', 'a repeated member'],
    ['{"a":1.0}', 'a number not as ECMAScript writes it'],
    ['{"a":-0}', 'negative zero'],
    ['{"a":1e21}', 'an exponent without its sign'],
    ['{"a":1e400}', 'a number beyond a double'],
    ['{"a":01}', 'a leading zero'],
    ['{"a":-00}', 'a leading zero after a minus'],
    ['{"a":12345678901234567}', 'an integer a double cannot hold'],
    ['{"a":-}', 'a minus alone'],
    ['{"a":0.50}', 'a trailing zero'],
    ['{"a":0.0000001}', 'a fraction ECMAScript writes with an exponent'],
    ['{"a":1.}', 'a point without a fraction'],
    ['{"a":"x\\"}', 'an escaped closing quote'],
    ['{"a":"\\q"}', 'an unknown escape'],
    ['{"a":"\\u00e9"}', 'an escape that is not needed'],
    ['{"a":"\\/"}', 'an escaped solidus'],
    ['{"a":"\\u000a"}', 'a long escape where a short one exists'],
    ['{"a":"\\u001F"}', 'uppercase hex'],
    ['{"a":"\\ud800"}', 'an escaped lone surrogate'],
    ['{"a":"\ud800"}', 'a lone surrogate'],
    ['{"a":"\u0001"}', 'an unescaped control character'],
    ['{"a": 1}', 'whitespace'],
    ['{"a":1} ', 'trailing whitespace'],
    ['{"a":tru}', 'a broken literal'],
    ['{"a":1,}', 'a trailing comma'],
    ['[1]', 'an array'],
    ['"a"', 'a string'],
    ['{"a":"b}', 'an unterminated string'],
    ['{"a":[1,2}', 'an unterminated array'],
    ['', 'nothing'],
  ])('refuses %s: %s', (text) => {
    expect(isCanonicalObjectText(text)).toBe(false);
    expect(canonicalMemberTexts(text, ['a'])).toBeNull();
  });

  test.each([
    ['{"10":1,"9":2}', 'integer-like names in code-unit order'],
    ['{"a":"\\u001f\\n\\"\\\\é\u2028😀"}', 'the escapes JSON.stringify writes, and the rest raw'],
    ['{"\\n":1,"a":2}', 'an escaped name'],
    ['{"a":1e+21,"b":1e-7,"c":0.1,"d":-5}', 'numbers as ECMAScript writes them'],
    ['{"a":0,"b":123456789012345,"c":1234567890123456,"d":-9007199254740991}', 'integers'],
    ['{"a":0.000001,"b":-0.5,"c":5218.62,"d":0.30000000000000004}', 'fractions'],
    ['{"":[],"a":{},"b":[{}],"c":[true,false,null]}', 'empty names, containers and literals'],
    ['{"\u20ac":1,"\ud83d\ude00":2}', 'names compared by UTF-16 code units, not code points'],
  ])('accepts %s: %s', (text) => {
    expect(isCanonicalObjectText(text)).toBe(true);
    expect(canonicalMemberTexts(text, ['a'])).not.toBeNull();
  });

  test('agrees with ECMAScript on every spelling of a number', () => {
    const digits = (max: number) =>
      fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: 0, maxLength: max });
    const spelled = fc
      .tuple(
        fc.constantFrom('', '-'),
        digits(18),
        fc.option(digits(18)),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(3))),
      )
      .map(
        ([sign, whole, fraction, exponent]) =>
          sign +
          whole.join('') +
          (fraction === null ? '' : `.${fraction.join('')}`) +
          (exponent === null ? '' : exponent[0] + exponent[1] + exponent[2].join('')),
      );
    const written = fc.double({ noNaN: true, noDefaultInfinity: true }).map(String);
    fc.assert(
      fc.property(fc.oneof(spelled, written), (number) => {
        const text = `{"a":${number}}`;
        expect(canonicalMemberTexts(text, ['a']) !== null, number).toBe(
          isCanonicalObjectText(text),
        );
      }),
      { numRuns: 5000 },
    );
  });

  test('accepts the canonical JSON of any object, picking each member as encoded', () => {
    fc.assert(
      fc.property(objects, (object) => {
        const names = Object.keys(object).slice(0, 3);
        expect(canonicalMemberTexts(canonicalJson(object), names)).toEqual(
          names.map((name) => canonicalJson(object[name])),
        );
      }),
    );
  });

  test('agrees with re-encoding on any other serialisation of an object', () => {
    fc.assert(
      fc.property(objects, fc.constantFrom(undefined, 1, '\t'), (object, space) => {
        const text = JSON.stringify(object, null, space);
        expect(canonicalMemberTexts(text, []) !== null).toBe(isCanonicalObjectText(text));
      }),
    );
  });

  test('agrees with re-encoding on a canonical text with a character changed, added or removed', () => {
    fc.assert(
      fc.property(
        objects,
        fc.nat(),
        edits,
        fc.constantFrom(0, 1, 2),
        (object, position, char, how) => {
          const canonical = canonicalJson(object);
          const at = position % (canonical.length + 1);
          const text =
            canonical.slice(0, at) +
            (how === 2 ? '' : char) +
            canonical.slice(at + (how === 0 ? 1 : 0));
          expect(canonicalMemberTexts(text, []) !== null, text).toBe(isCanonicalObjectText(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
