const HEADER = ['figure', 'value', 'baseline', 'ratio', 'target', 'result'];

/** The figures as a plain-text table, one row a figure. */
export function renderReport(rows) {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const format = (line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [
    format(lines[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...lines.slice(1).map(format),
  ]
    .join('\n')
    .concat('\n');
}

function cells(row) {
  const baseline = row.baseline
    ? `${row.baseline.name} ${quantity(row.baseline.value, row.unit)}`
    : '-';
  const target = row.target
    ? `${row.target.op === '>=' ? '>=' : '<='} ${quantity(row.target.value, row.unit)}`
    : '-';
  const result = row.pass === null ? '-' : row.pass ? 'pass' : 'FAIL';
  return [
    row.name,
    quantity(row.value, row.unit),
    baseline,
    row.ratio === null ? '-' : row.ratio.toFixed(2),
    target,
    result,
  ];
}

function quantity(value, unit) {
  switch (unit) {
    case 'events/s':
      return `${Math.round(value).toLocaleString('en-US')} ev/s`;
    case 'ms':
      return `${value < 0.1 ? value.toFixed(4) : value.toFixed(3)} ms`;
    case 'B':
      return `${Math.round(value).toLocaleString('en-US')} B`;
    case 's':
      return `${value.toFixed(2)} s`;
    case 'µs':
      return `${value.toFixed(1)} µs`;
    default:
      return value.toFixed(2);
  }
}

/** Where a database's bytes go: each table and index, in bytes per decision, largest first. */
export function renderTableSizes(tables, decisions) {
  const width = Math.max(...tables.map((t) => t.name.length));
  return tables
    .filter((t) => t.bytes / decisions >= 1)
    .map((t) => `  ${t.name.padEnd(width)}  ${quantity(t.bytes / decisions, 'B').padStart(8)}\n`)
    .join('');
}
