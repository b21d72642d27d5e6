import { jsonText, type StoredEvent } from '@declog/core';

type Decision = StoredEvent & { type: 'decision' };

const COLUMNS = ['occurred_at', 'id', 'model', 'prediction', 'conf', 'summary'] as const;

/** A page of decisions as an aligned text table, cutting the summary to fit `width` columns. */
export function renderDecisionTable(pageJson: string, width = 120): string {
  const page = JSON.parse(pageJson) as { items: Decision[]; next_cursor: string | null };
  if (page.items.length === 0) {
    // A page looks at a bounded part of the log: none here does not mean none further on.
    return page.next_cursor
      ? `no decisions match in this part of the log\nmore: --cursor ${page.next_cursor}\n`
      : 'no decisions match\n';
  }
  const rows = page.items.map((d) => [
    d.occurred_at,
    d.id,
    `${d.model.name}@${d.model.version}`,
    predictionText(d.prediction),
    d.confidence === undefined ? '' : d.confidence.toFixed(2),
    d.rationale.summary.replace(/\s+/g, ' '),
  ]);
  const table = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const summaryWidth = Math.max(10, width - fixed);
  const lines = table.map((row) =>
    row
      .map((cell, c) =>
        c === COLUMNS.length - 1 ? clip(cell, summaryWidth) : cell.padEnd(widths[c] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
  const footer = page.next_cursor ? [`more: --cursor ${page.next_cursor}`] : [];
  return `${[...lines, ...footer].join('\n')}\n`;
}

function predictionText(prediction: Decision['prediction']): string {
  if (prediction.label !== undefined) return String(prediction.label);
  if (prediction.score !== undefined) return String(prediction.score);
  return prediction.value === undefined ? '' : clip(jsonText(prediction.value), 20);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
