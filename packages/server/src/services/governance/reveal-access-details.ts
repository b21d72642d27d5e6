import {
  itemsWithinBytes,
  verifyAccessPersonal,
  type AccessPersonalCommitment,
  type AccessPersonalDetails,
} from '@declog/core';
import type { Answer } from '../answer.js';

/** Reads the details kept for these access entries of a tenant's trail, by entry id. */
export type AccessDetailsSource = (ids: readonly string[]) => Promise<ReadonlyMap<string, string>>;

interface PageEntry {
  readonly id: string;
  readonly seq: number;
  personal?: AccessPersonalCommitment & { kept?: boolean; deleted?: boolean };
  filters?: Record<string, string>;
  purpose?: string;
}

/**
 * A page of access entries (`{"items", "next_cursor"}`) with each entry's personal details put
 * back where they were, `personal.kept` true; an entry whose details were deleted (its subject
 * erased, or retention) shows `personal.deleted` true instead. Details that do not match the
 * leaf's commitment are not shown (deleted, as far as a reader can tell). The details make the
 * entries longer than stored: the page is cut again at MAX_PAGE_BYTES, its cursor moved back.
 */
export async function revealAccessDetails(
  pageJson: string,
  source: AccessDetailsSource,
): Promise<Answer> {
  const page = JSON.parse(pageJson) as { items: PageEntry[]; next_cursor: string | null };
  const committed = page.items.filter((item) => item.personal !== undefined);
  if (committed.length === 0) return { json: pageJson, records: page.items.length };
  const kept = await source(committed.map((item) => item.id));
  for (const item of committed) {
    const personal = item.personal as AccessPersonalCommitment;
    const text = kept.get(item.id);
    const details = text === undefined ? undefined : (JSON.parse(text) as AccessPersonalDetails);
    if (details === undefined || !verifyAccessPersonal(personal, details)) {
      item.personal = { ...personal, deleted: true };
      continue;
    }
    for (const [pointer, value] of Object.entries(details.values)) {
      const [, first, name] = pointer.split('/');
      if (first === 'purpose') item.purpose = value;
      else if (first === 'filters' && name !== undefined) {
        item.filters = {
          ...item.filters,
          [name.replaceAll('~1', '/').replaceAll('~0', '~')]: value,
        };
      }
    }
    item.personal = { ...personal, kept: true };
  }
  const texts = page.items.map((item) => JSON.stringify(item));
  const fit = itemsWithinBytes(texts);
  const last = page.items[fit - 1];
  const next = fit < texts.length && last !== undefined ? String(last.seq + 1) : page.next_cursor;
  return {
    json: `{"items":[${texts.slice(0, fit).join(',')}],"next_cursor":${JSON.stringify(next)}}`,
    records: fit,
  };
}
