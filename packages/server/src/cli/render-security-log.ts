import type { SecurityEntry } from '@declog/core';
import { renderTable } from './render-table.js';

/** A page of the security trail as `GET /v1/security-log` answers it. */
export interface SecurityLogPage {
  readonly items: readonly (SecurityEntry & { readonly recorded_at: string })[];
  readonly next_cursor: string | null;
}

const COLUMNS = ['occurred_at', 'refusal', 'status', 'address', 'key_id', 'route', 'what'] as const;

/** Security trail entries as an aligned table, then how to ask for the next page. */
export function renderSecurityLog(page: SecurityLogPage): string {
  const table =
    page.items.length === 0
      ? 'no security trail entries\n'
      : renderTable(
          COLUMNS,
          page.items.map((entry) => [
            entry.occurred_at,
            entry.refusal,
            entry.status === undefined ? undefined : String(entry.status),
            entry.client?.address,
            entry.key_id,
            entry.route === undefined ? undefined : `${entry.method ?? ''} ${entry.route}`,
            entry.refusal === 'suppressed'
              ? Object.entries(entry.counts ?? {})
                  .map(([kind, n]) => `${n} ${kind}`)
                  .join(', ')
              : [entry.tenant === undefined ? '' : `tenant ${entry.tenant}: `, entry.message]
                  .join('')
                  .replace(/\s+/g, ' '),
          ]),
        );
  return page.next_cursor === null ? table : `${table}more: --cursor ${page.next_cursor}\n`;
}
