import { parseQueryTime, QUERY_TIME_FORMS, type EventStore } from '@declog/core';
import { firstRecordedAtOrAfter } from '../ledger/log-row.js';
import { DeclogError, type ErrorDetail } from '../../errors.js';
import type { Answer } from '../answer.js';
import { revealAccessDetails, type AccessDetailsSource } from './reveal-access-details.js';
import { trailPage } from './trail-page.js';

export const ACCESS_LOG_PARAMETERS = {
  actor: 'Key id or key name of who made the request.',
  action: 'What was done, such as decisions.read or keys.create.',
  from: `Earliest recorded_at, inclusive: ${QUERY_TIME_FORMS}.`,
  to: `Latest recorded_at, exclusive: ${QUERY_TIME_FORMS}.`,
  limit: 'Page size, 1-1000 (default 100).',
  cursor: 'next_cursor of the previous page.',
} as const;

interface AccessFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit: number;
  readonly cursor?: number;
}

interface StoredAccess {
  readonly recorded_at: string;
  readonly action: string;
  readonly actor: { readonly key_id: string; readonly name: string };
}

/**
 * `GET /v1/access-log`: access entries in log order with the filters given, a page at a time
 * (see trailPage: a page may hold fewer than `limit` entries while more follow), with their
 * personal details put back from `details` (see revealAccessDetails).
 */
export async function readAccessLog(
  store: EventStore,
  params: URLSearchParams,
  details?: AccessDetailsSource,
): Promise<Answer> {
  const filter = parseAccessFilter(params);
  const from =
    filter.cursor ??
    (filter.fromMs !== undefined
      ? await firstRecordedAtOrAfter(store, await store.size(), filter.fromMs)
      : 0);
  const page = await trailPage<StoredAccess>(store, {
    from,
    limit: filter.limit,
    ...(filter.toMs !== undefined ? { toMs: filter.toMs } : {}),
    keep: (entry, at) => matches(entry, at, filter),
  });
  // The personal details kept beside the trail are shown in place to its readers.
  return details === undefined ? page : revealAccessDetails(page.json, details);
}

function matches(entry: StoredAccess, at: number, filter: AccessFilter): boolean {
  if (filter.fromMs !== undefined && at < filter.fromMs) return false;
  if (filter.action !== undefined && entry.action !== filter.action) return false;
  if (
    filter.actor !== undefined &&
    entry.actor.key_id !== filter.actor &&
    entry.actor.name !== filter.actor
  ) {
    return false;
  }
  return true;
}

function parseAccessFilter(params: URLSearchParams): AccessFilter {
  const details: ErrorDetail[] = [];
  const values: Record<string, string> = {};
  for (const [name, value] of params) {
    if (!(name in ACCESS_LOG_PARAMETERS)) {
      details.push({
        path: name,
        message: `is not a parameter here; use ${Object.keys(ACCESS_LOG_PARAMETERS).join(', ')}`,
      });
    } else if (values[name] !== undefined)
      details.push({ path: name, message: 'is given more than once' });
    else values[name] = value;
  }
  const time = (name: 'from' | 'to') => {
    const text = values[name];
    if (text === undefined) return undefined;
    const parsed = parseQueryTime(text);
    if (!parsed.ok) details.push({ path: name, message: parsed.message });
    return parsed.ok ? parsed.ms : NaN;
  };
  const count = (name: 'limit' | 'cursor', min: number, max: number) => {
    const text = values[name];
    if (text === undefined) return undefined;
    const n = /^(0|[1-9]\d{0,14})$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max))
      details.push({ path: name, message: `must be an integer from ${min} to ${max}` });
    return n;
  };
  const fromMs = time('from');
  const toMs = time('to');
  const limit = count('limit', 1, 1000) ?? 100;
  const cursor = count('cursor', 0, Number.MAX_SAFE_INTEGER);
  if (details.length > 0)
    throw new DeclogError('invalid_query', 'invalid query parameters', details);
  return {
    limit,
    ...(values['actor'] !== undefined ? { actor: values['actor'] } : {}),
    ...(values['action'] !== undefined ? { action: values['action'] } : {}),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  };
}
