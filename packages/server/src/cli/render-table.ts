/** Rows under their column names, aligned with two spaces between columns; `-` for a blank. */
export function renderTable(
  columns: readonly string[],
  rows: readonly (readonly (string | null | undefined)[])[],
): string {
  const table = [columns, ...rows.map((row) => columns.map((_, c) => row[c] ?? '-'))];
  const widths = columns.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const lines = table.map((row) =>
    row
      .map((cell, c) => (cell ?? '').padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
