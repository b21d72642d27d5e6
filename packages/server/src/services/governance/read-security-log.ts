import { parseQueryTime, QUERY_TIME_FORMS, SECURITY_REFUSALS, type EventStore } from '@declog/core';
import { firstRecordedAtOrAfter } from '../ledger/log-row.js';
import { DeclogError, type ErrorDetail } from '../../errors.js';
import type { Answer } from '../answer.js';
import { trailPage } from './trail-page.js';

export const SECURITY_LOG_PARAMETERS = {
  refusal: `Why the request was refused: ${SECURITY_REFUSALS.join(', ')}, or suppressed (counts of refusals not recorded one by one).`,
  address: 'The client address.',
  key_id: 'The id of the key presented.',
  from: `Earliest recorded_at, inclusive: ${QUERY_TIME_FORMS}.`,
  to: `Latest recorded_at, exclusive: ${QUERY_TIME_FORMS}.`,
  limit: 'Page size, 1-1000 (default 100).',
  cursor: 'next_cursor of the previous page.',
} as const;

type Name = keyof typeof SECURITY_LOG_PARAMETERS;

interface StoredSecurity {
  readonly recorded_at: string;
  readonly refusal: string;
  readonly client?: { readonly address: string };
  readonly key_id?: string;
}

/**
 * `GET /v1/security-log`: the server's security trail in log order with the filters given, a
 * page at a time (see trailPage).
 */
export async function readSecurityLog(store: EventStore, params: URLSearchParams): Promise<Answer> {
  const values = parameters(params);
  const details: ErrorDetail[] = [];
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
    if (!(n >= min && n <= max)) {
      details.push({ path: name, message: `must be an integer from ${min} to ${max}` });
    }
    return n;
  };
  const refusals: readonly string[] = [...SECURITY_REFUSALS, 'suppressed'];
  if (values.refusal !== undefined && !refusals.includes(values.refusal)) {
    details.push({ path: 'refusal', message: `must be one of ${refusals.join(', ')}` });
  }
  const fromMs = time('from');
  const toMs = time('to');
  const limit = count('limit', 1, 1000) ?? 100;
  const cursor = count('cursor', 0, Number.MAX_SAFE_INTEGER);
  if (details.length > 0) {
    throw new DeclogError('invalid_query', 'invalid query parameters', details);
  }
  const from =
    cursor ??
    (fromMs !== undefined ? await firstRecordedAtOrAfter(store, await store.size(), fromMs) : 0);
  return trailPage<StoredSecurity>(store, {
    from,
    limit,
    ...(toMs !== undefined ? { toMs } : {}),
    keep: (entry, at) =>
      (fromMs === undefined || at >= fromMs) &&
      (values.refusal === undefined || entry.refusal === values.refusal) &&
      (values.address === undefined || entry.client?.address === values.address) &&
      (values.key_id === undefined || entry.key_id === values.key_id),
  });
}

/** The parameters given, each once; any other, or a repeated one, is an invalid_query error. */
function parameters(params: URLSearchParams): Partial<Record<Name, string>> {
  const details: ErrorDetail[] = [];
  const values: Partial<Record<Name, string>> = {};
  for (const [name, value] of params) {
    if (!(name in SECURITY_LOG_PARAMETERS)) {
      details.push({
        path: name,
        message: `is not a parameter here; use ${Object.keys(SECURITY_LOG_PARAMETERS).join(', ')}`,
      });
    } else if (values[name as Name] !== undefined) {
      details.push({ path: name, message: 'is given more than once' });
    } else values[name as Name] = value;
  }
  if (details.length > 0) {
    throw new DeclogError('invalid_query', 'invalid query parameters', details);
  }
  return values;
}
