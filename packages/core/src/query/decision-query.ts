import { ACTION_KINDS, OUTCOME_STATUSES } from '../contract/event-schema.js';
import type { ActionKind, OutcomeStatus } from '../contract/event-schema.js';
import type { ValidationIssue } from '../contract/validation-issue.js';
import { decodeCursor, type BoundCursor, type Cursor } from './cursor.js';
import { queryFingerprint } from './query-fingerprint.js';
import { parseQueryTime } from './query-time.js';

/** Conditions a decision must meet to be listed; all given conditions must hold. */
export interface DecisionFilter {
  readonly model?: string;
  readonly modelVersion?: string;
  /** Inclusive lower bound on `occurred_at`. */
  readonly fromMs?: number;
  /** Exclusive upper bound on `occurred_at`. */
  readonly toMs?: number;
  readonly reason?: string;
  readonly actionKind?: ActionKind;
  readonly outcomeStatus?: OutcomeStatus;
  readonly subject?: string;
  readonly labels: readonly (readonly [key: string, value: string])[];
  /** Words that must all occur in the rationale summary. */
  readonly words: readonly string[];
}

export interface DecisionPageRequest {
  readonly limit: number;
  readonly after: Cursor | null;
  /**
   * Ends the page once the stored text of its items reaches this many bytes (it holds at least
   * one item), so that a page of large decisions is never read whole into memory.
   */
  readonly maxBytes?: number;
}

export type DecisionQuery =
  | {
      readonly ok: true;
      readonly filter: DecisionFilter;
      readonly page: DecisionPageRequest;
      /** The filters' fingerprint, which the cursor of the next page carries. */
      readonly fingerprint: string;
    }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/**
 * The longest `q`, in characters, and the most different words it may hold. A full-text
 * query's cost grows with its words times the decisions each matches, and a read runs to its
 * end on the serving thread: at these caps the worst query (every word in every summary of
 * 10,000 decisions) takes tens of milliseconds (docs/security.md has the figures).
 */
export const MAX_QUERY_CHARS = 400;
export const MAX_QUERY_WORDS = 16;
/** The most `label.KEY` filters one query may hold: each is a lookup of its own. */
export const MAX_LABEL_FILTERS = 16;

/** The parameters of `GET /v1/decisions`, for the OpenAPI document and the CLI's help. */
export const DECISION_QUERY_PARAMETERS = {
  model: 'Model name.',
  model_version: 'Model version.',
  from: 'Earliest occurred_at, inclusive: an RFC 3339 timestamp with an offset, or a date (YYYY-MM-DD: the start of that day in UTC).',
  to: 'Latest occurred_at, exclusive: an RFC 3339 timestamp with an offset, or a date (YYYY-MM-DD: the start of that day in UTC).',
  reason: 'A reason code of the rationale.',
  action_kind: `Has an action of this kind (${ACTION_KINDS.join(', ')}).`,
  outcome_status: `Has an outcome with this status (${OUTCOME_STATUSES.join(', ')}).`,
  subject: 'Data-subject id.',
  q: `Words that must all appear in the rationale summary: at most ${MAX_QUERY_CHARS} characters and ${MAX_QUERY_WORDS} different words.`,
  limit: `Page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  cursor:
    'next_cursor of the previous page; it continues only the query it came from (the same filters; the limit may change).',
} as const;

/**
 * Reads the query string of `GET /v1/decisions`, naming every bad parameter. Unknown
 * parameters are errors, so that a misspelt filter never silently widens the result.
 */
export function parseDecisionQuery(params: Iterable<readonly [string, string]>): DecisionQuery {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const filter: { -readonly [K in keyof DecisionFilter]: DecisionFilter[K] } = {
    labels: [],
    words: [],
  };
  let limit = DEFAULT_PAGE_SIZE;
  let cursor: BoundCursor | null = null;
  const labels: [string, string][] = [];

  for (const [name, value] of params) {
    if (seen.has(name)) {
      issues.push({ path: name, message: 'is given more than once' });
      continue;
    }
    seen.add(name);
    const problem = (message: string) => issues.push({ path: name, message });
    if (name.startsWith('label.')) {
      const key = name.slice('label.'.length);
      if (key === '') problem('needs a label key, as in label.team=risk');
      else if (labels.length === MAX_LABEL_FILTERS) {
        problem(`is one label filter too many: at most ${MAX_LABEL_FILTERS} per query`);
      } else labels.push([key, value]);
      continue;
    }
    switch (name) {
      case 'model':
      case 'subject':
      case 'reason':
        if (value === '') problem('must not be empty');
        else filter[name] = value;
        break;
      case 'model_version':
        if (value === '') problem('must not be empty');
        else filter.modelVersion = value;
        break;
      case 'from':
      case 'to': {
        const time = parseQueryTime(value);
        if (!time.ok) problem(time.message);
        else if (name === 'from') filter.fromMs = time.ms;
        else filter.toMs = time.ms;
        break;
      }
      case 'action_kind':
        if (isOneOf(ACTION_KINDS, value)) filter.actionKind = value;
        else problem(`must be one of ${ACTION_KINDS.join(', ')}`);
        break;
      case 'outcome_status':
        if (isOneOf(OUTCOME_STATUSES, value)) filter.outcomeStatus = value;
        else problem(`must be one of ${OUTCOME_STATUSES.join(', ')}`);
        break;
      case 'q': {
        // Each word once: a word repeated narrows nothing, and would cost as much again.
        const words = [...new Set((value.match(/[\p{L}\p{N}]+/gu) ?? []).map(lower))];
        if (value.length > MAX_QUERY_CHARS) {
          problem(`is ${value.length} characters long; at most ${MAX_QUERY_CHARS}`);
        } else if (words.length === 0) problem('needs at least one word');
        else if (words.length > MAX_QUERY_WORDS) {
          problem(`has ${words.length} different words; at most ${MAX_QUERY_WORDS}`);
        } else filter.words = words;
        break;
      }
      case 'limit': {
        const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
        if (n >= 1 && n <= MAX_PAGE_SIZE) limit = n;
        else problem(`must be an integer from 1 to ${MAX_PAGE_SIZE}`);
        break;
      }
      case 'cursor':
        cursor = decodeCursor(value);
        if (cursor === null) problem('is not a cursor returned by this API');
        break;
      default:
        problem(
          `is not a filter; use one of ${Object.keys(DECISION_QUERY_PARAMETERS).join(', ')}, label.KEY`,
        );
    }
  }
  if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs >= filter.toMs) {
    issues.push({ path: 'to', message: 'must be later than from' });
  }
  const fingerprint = queryFingerprint({ ...filter, labels });
  // A cursor is a position in one query's results: with other filters it would skip or repeat
  // decisions without a word.
  if (cursor?.query === null) {
    issues.push({
      path: 'cursor',
      message:
        'was made by an earlier declog and is not bound to its query; start again from the first page (no cursor)',
    });
  } else if (cursor !== null && cursor.query !== fingerprint) {
    issues.push({
      path: 'cursor',
      message:
        'belongs to another query: a cursor continues only the query it came from, with the same filters (the limit may change); start again from the first page (no cursor)',
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  const after: Cursor | null = cursor?.after ?? null;
  return { ok: true, filter: { ...filter, labels }, page: { limit, after }, fingerprint };
}

const lower = (word: string) => word.toLowerCase();

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
  return (options as readonly string[]).includes(value);
}
