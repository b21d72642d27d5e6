import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandPattern,
  formatPointer,
  matchesPattern,
  parentObject,
  parsePointer,
  removeMember,
  setMember,
  valueAt,
} from './_json-pointer.js';

// RFC 6901 section 5.
const rfcDocument = {
  foo: ['bar', 'baz'],
  '': 0,
  'a/b': 1,
  'c%d': 2,
  'e^f': 3,
  'g|h': 4,
  'i\\j': 5,
  'k"l': 6,
  ' ': 7,
  'm~n': 8,
};

describe('JSON Pointer (RFC 6901)', () => {
  it('evaluates the examples of RFC 6901 section 5', () => {
    const cases: [string, unknown][] = [
      ['', rfcDocument],
      ['/foo', ['bar', 'baz']],
      ['/foo/0', 'bar'],
      ['/', 0],
      ['/a~1b', 1],
      ['/c%d', 2],
      ['/e^f', 3],
      ['/g|h', 4],
      ['/i\\j', 5],
      ['/k"l', 6],
      ['/ ', 7],
      ['/m~0n', 8],
    ];
    for (const [pointer, value] of cases) {
      expect({ pointer, value: valueAt(rfcDocument, parsePointer(pointer) ?? ['?']) }).toEqual({
        pointer,
        value,
      });
    }
  });

  it('formats what it parses, for any tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (tokens) => {
        expect(parsePointer(formatPointer(tokens))).toEqual(tokens);
      }),
    );
  });

  it('parses as the first implementation did, for any text', () => {
    const firstParse = (pointer: string) => {
      if (pointer === '') return [];
      if (!pointer.startsWith('/') || /~(?![01])/.test(pointer)) return undefined;
      return pointer
        .slice(1)
        .split('/')
        .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    };
    const pointerish = fc
      .array(fc.constantFrom('/', '~', '0', '1', '2', 'a', '~0', '~1', '/~', '\u00e9'), {
        maxLength: 8,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          pointerish,
          fc.string(),
          fc.string().map((s) => `/${s}`),
        ),
        (text) => {
          expect(parsePointer(text)).toEqual(firstParse(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses texts that are not pointers, and reads own members only', () => {
    expect(parsePointer('foo')).toBeUndefined();
    expect(parsePointer('/a~2')).toBeUndefined();
    expect(valueAt({}, ['constructor'])).toBeUndefined();
    expect(valueAt({ a: [1] }, ['a', '01'])).toBeUndefined();
  });

  it('expands a wildcard over array indices only', () => {
    const doc = { r: [{ d: 'x' }, { c: 1 }, { d: 'y' }], o: { '0': { d: 'z' } } };
    expect(expandPattern(doc, ['r', '*', 'd'])).toEqual([
      ['r', '0', 'd'],
      ['r', '2', 'd'],
    ]);
    expect(expandPattern(doc, ['o', '*', 'd'])).toEqual([]);
    expect(matchesPattern(['r', '12', 'd'], ['r', '*', 'd'])).toBe(true);
    expect(matchesPattern(['r', 'x', 'd'], ['r', '*', 'd'])).toBe(false);
  });

  it('removes a member with the objects it leaves empty, and sets it back', () => {
    const doc: Record<string, unknown> = { a: { b: { c: 1 } }, r: [{ d: 1 }], k: 0 };
    removeMember(doc, ['a', 'b', 'c']);
    removeMember(doc, ['r', '0', 'd']);
    expect(doc).toEqual({ r: [{}], k: 0 });
    expect(setMember(doc, ['a', 'b', 'c'], 1)).toBe(true);
    expect(setMember(doc, ['r', '0', 'd'], 1)).toBe(true);
    expect(doc).toEqual({ a: { b: { c: 1 } }, r: [{ d: 1 }], k: 0 });
    expect(setMember(doc, ['k', 'x'], 1)).toBe(false);
    expect(setMember(doc, ['r', '5', 'd'], 1)).toBe(false);
    expect(setMember(doc, ['__proto__', 'polluted'], 1)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('finds the object holding a member, never an array slot', () => {
    const doc = { a: { b: 1 }, list: [1, 2] };
    expect(parentObject(doc, ['a', 'b'])).toEqual({ parent: doc.a, name: 'b' });
    expect(parentObject(doc, ['list', '0'])).toBeUndefined();
    expect(parentObject(doc, [])).toBeUndefined();
  });
});
