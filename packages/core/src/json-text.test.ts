import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { jsonText } from './json-text.js';

/** `[[[…]]]` nested `depth` levels, as JSON.parse reads it. */
function nestedArrays(depth: number): unknown {
  return JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

describe('jsonText', () => {
  test('writes what JSON.stringify writes, compact and indented (property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: 'binary' }),
        fc.constantFrom('', ' ', '  ', '\t'),
        (value, indent) => {
          expect(jsonText(value, indent)).toBe(JSON.stringify(value, null, indent));
        },
      ),
    );
  });

  test('writes as JSON.stringify does what JSON has no form for', () => {
    const value = { a: undefined, b: [undefined, () => 1, NaN, -Infinity], c: -0, d: null };
    expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText({ '\ud800': 'a\udfff' })).toBe(JSON.stringify({ '\ud800': 'a\udfff' }));
    expect(jsonText([], '  ')).toBe('[]');
    expect(jsonText({ a: {} }, '  ')).toBe('{\n  "a": {}\n}');
  });

  test('writes 100,000 levels of nesting, where JSON.stringify gives up', () => {
    const deep = nestedArrays(100_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = jsonText({ value: deep });
    expect(text).toBe(`{"value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    // Indented down to 64 levels, compact below (indenting every level would take about 10¹⁰
    // characters).
    const indented = jsonText(deep, ' ');
    expect(indented.split('\n')).toHaveLength(2 * 64 + 1);
    expect(jsonText(JSON.parse(indented))).toBe(jsonText(deep));
  });

  test('refuses a cyclic value with a RangeError instead of growing without end', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => jsonText(cyclic)).toThrow(RangeError);
  });
});
