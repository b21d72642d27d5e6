import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mayRepeatMembers, repeatedMembers } from './repeated-members.js';

const values = fc.jsonValue({ stringUnit: 'binary' });

describe('mayRepeatMembers and repeatedMembers', () => {
  test('find no repeat in texts that hold none, compact or indented (property)', () => {
    fc.assert(
      fc.property(values, fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(mayRepeatMembers(text, JSON.parse(text))).toBe(false);
        expect(repeatedMembers(text)).toEqual([]);
      }),
    );
  });

  test('count names spaced from their colons, and colons in strings after spaces (property)', () => {
    // Whitespace around every token, as some writers put it.
    const spaced = (value: unknown): string => {
      if (Array.isArray(value)) return `[ ${value.map(spaced).join(' , ')} ]`;
      if (value === null || typeof value !== 'object') return JSON.stringify(value);
      const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} :\t${spaced(v)}`);
      return `{\n${members.join(' ,\r\n')} }`;
    };
    fc.assert(
      fc.property(values, (value) => {
        const text = spaced(value);
        expect(mayRepeatMembers(text, JSON.parse(text))).toBe(false);
        if (text.startsWith('{\n"')) {
          const repeated = text.replace(/^\{\n("(?:[^"\\]|\\.)*")/, '{\n$1 : 0 , $1');
          expect(mayRepeatMembers(repeated, JSON.parse(repeated))).toBe(true);
        }
      }),
    );
  });

  test('find a member repeated anywhere, naming its path (property)', () => {
    // A text with one member written twice: the object at `path` gets `"name":…` again.
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), values, { minKeys: 1 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 4 }),
        (object, path) => {
          const [name] = Object.keys(object);
          const inner = `{${JSON.stringify(name)}:0,${JSON.stringify(object).slice(1)}`;
          const text = path.reduceRight((json, key) => `{${JSON.stringify(key)}:[${json}]}`, inner);
          expect(mayRepeatMembers(text, JSON.parse(text))).toBe(true);
          const expected = [...path.flatMap((key) => [key, 0]), name];
          expect(repeatedMembers(text)).toEqual([expected]);
        },
      ),
    );
  });

  test.each([
    ['{"a":1,"a":2}', [['a']]],
    ['{"a":1,"\\u0061":2}', [['a']]],
    [
      '{ "a" : 1 ,\n "b":{"c":"\\"a\\":","c" :[1,{"x":1,"x":2,"x":3}]}}',
      [
        ['b', 'c'],
        ['b', 'c', 1, 'x'],
        ['b', 'c', 1, 'x'],
      ],
    ],
    ['[{"a":1},{"a":1}]', []],
    ['{"a":"\\\\","a":1}', [['a']]],
    ['{"__proto__":1,"__proto__":2}', [['__proto__']]],
    ['{"a":"x\\":y","b":"\\":"}', []],
    ['{"a\\\\":1,"a\\\\":2}', [['a\\']]],
    ['{"a" :1,"a":2}', [['a']]],
    ['{"a":"b :c","a":1}', [['a']]],
    ['{"t":"2026-03-01T12:00:00Z","u":"https://x","t":0}', [['t']]],
  ])('%s repeats %j', (text, repeats) => {
    expect(mayRepeatMembers(text, JSON.parse(text))).toBe(repeats.length > 0);
    expect(repeatedMembers(text)).toEqual(repeats);
  });

  test('reads 1,000,000 levels of nesting without recursion', () => {
    const deep = `${'{"a":['.repeat(500_000)}{"b":1,"b":2}${']}'.repeat(500_000)}`;
    const parsed: unknown = JSON.parse(deep);
    expect(mayRepeatMembers(deep, parsed)).toBe(true);
    const [path] = repeatedMembers(deep);
    expect(path).toHaveLength(1_000_001);
    expect(path?.at(-1)).toBe('b');
    const plain = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(repeatedMembers(plain)).toEqual([]);
  });
});
