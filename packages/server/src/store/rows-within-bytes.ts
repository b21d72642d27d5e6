/**
 * Takes rows from `rows` in order: at most `limit`, and, with `maxBytes`, none after the rows
 * taken reach that many bytes (`bytesOf` each); the first row is always taken. `more` says
 * whether a row was left. Stops reading there: a database cursor iterated here reads no
 * further row.
 */
export function rowsWithinBytes<T>(
  rows: Iterable<T>,
  limit: number,
  maxBytes: number | undefined,
  bytesOf: (row: T) => number,
): { readonly rows: T[]; readonly more: boolean } {
  const taken: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (
      taken.length === limit ||
      (maxBytes !== undefined && taken.length > 0 && bytes >= maxBytes)
    ) {
      return { rows: taken, more: true };
    }
    taken.push(row);
    bytes += bytesOf(row);
  }
  return { rows: taken, more: false };
}
