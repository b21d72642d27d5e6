import type { HoldView } from '../services/governance/legal-holds.js';
import { renderTable } from './render-table.js';

const COLUMNS = [
  'id',
  'kind',
  'target',
  'placed_at',
  'placed_by',
  'released_at',
  'reason',
] as const;

/** Holds as an aligned table, released ones marked by their release time, reason last. */
export function renderHoldTable(holds: readonly HoldView[]): string {
  if (holds.length === 0) return 'no legal holds\n';
  return renderTable(
    COLUMNS,
    holds.map((hold) =>
      COLUMNS.map((column) =>
        column === 'reason' ? hold.reason.replace(/\s+/g, ' ') : hold[column],
      ),
    ),
  );
}

/** A hold just placed: its id (to release it by) and what it stops. */
export function renderPlacedHold(hold: HoldView): string {
  return (
    `placed legal hold ${hold.id} on ${describeHold(hold)}\n` +
    `  erasures it covers are refused until: declog holds release ${hold.id}\n`
  );
}

/** A hold just released, and by whom. */
export function renderReleasedHold(hold: HoldView): string {
  return `released legal hold ${hold.id} on ${describeHold(hold)} at ${hold.released_at ?? '?'} by ${hold.released_by ?? '?'}\n`;
}

function describeHold(hold: HoldView): string {
  return `${hold.kind} ${hold.target}: ${hold.reason}`;
}
