/** A value for one column of a `COPY … (FORMAT csv)` row. */
export type CopyValue = string | number | null | Uint8Array | readonly string[];

/**
 * One row of CSV for `COPY … FROM STDIN (FORMAT csv)`: NULL is an empty unquoted field, every
 * string is quoted (so an empty string stays one), bytes are bytea hex, and a string array is
 * a PostgreSQL array literal.
 */
export function csvRow(values: readonly CopyValue[]): string {
  return values.map(csvField).join(',');
}

function csvField(value: CopyValue): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot COPY the number ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return quote(`{${value.map(arrayElement).join(',')}}`);
}

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** An array element, double-quoted with `\` and `"` escaped, as array input requires. */
const arrayElement = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
