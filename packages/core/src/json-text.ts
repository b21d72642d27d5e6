import { writeJson, type JsonWriting } from './_json-writer.js';

/**
 * `JSON.stringify(value, null, indent)` for JSON data (plain objects, arrays, strings,
 * numbers, booleans and null) of any nesting depth; when indenting, containers deeper than
 * 64 levels are written compactly (indenting every level costs the square of the depth). JSON.parse reads any depth, but
 * JSON.stringify gives up with a RangeError after a few thousand levels: whatever writes out a
 * stored event, or anything holding one, uses this instead.
 *
 * @example jsonText({ b: [1, { a: null }] }) // '{"b":[1,{"a":null}]}'
 * @throws TypeError for a bigint; RangeError for a cyclic value.
 */
export function jsonText(value: unknown, indent = ''): string {
  return writeJson(value, indent === '' ? PLAIN : { ...PLAIN, indent });
}

const PLAIN: JsonWriting = { canonical: false, keysOf: Object.keys };
