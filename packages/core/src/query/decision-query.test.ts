import { describe, expect, test } from 'vitest';
import { encodeCursor } from './cursor.js';
import { queryFingerprint } from './query-fingerprint.js';
import { QUERY_TIME_FORMS } from './query-time.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_LABEL_FILTERS,
  MAX_PAGE_SIZE,
  MAX_QUERY_CHARS,
  MAX_QUERY_WORDS,
  parseDecisionQuery,
} from './decision-query.js';
import type { DecisionQuery } from './decision-query.js';

const parse = (query: string): DecisionQuery => parseDecisionQuery(new URLSearchParams(query));

function accepted(query: string) {
  const result = parse(query);
  if (!result.ok) throw new Error(`expected ${query} to parse: ${JSON.stringify(result.issues)}`);
  return result;
}

function issuesOf(query: string) {
  const result = parse(query);
  if (result.ok) throw new Error(`expected ${query} to be rejected`);
  return result.issues;
}

const NOT_A_FILTER =
  'is not a filter; use one of model, model_version, from, to, reason, action_kind, outcome_status, subject, q, limit, cursor, label.KEY';

describe('parseDecisionQuery', () => {
  test('no parameters: no filter, the default page', () => {
    expect(parse('')).toEqual({
      ok: true,
      filter: { labels: [], words: [] },
      page: { limit: DEFAULT_PAGE_SIZE, after: null },
      fingerprint: queryFingerprint({ labels: [], words: [] }),
    });
  });

  test('takes any iterable of pairs', () => {
    const result = parseDecisionQuery([['model', 'credit-risk']]);
    expect(result.ok && result.filter.model).toBe('credit-risk');
  });

  test('reads every filter at once', () => {
    const filter = {
      model: 'credit-risk',
      modelVersion: '4.2.0',
      fromMs: Date.UTC(2026, 0, 1),
      toMs: Date.UTC(2026, 0, 31, 23),
      reason: 'INCOME_STABLE',
      actionKind: 'override',
      outcomeStatus: 'failure',
      subject: 'applicant-77',
      words: ['stable', 'income'],
      labels: [
        ['team', 'risk'],
        ['region', 'eu'],
      ],
    } as const;
    const fingerprint = queryFingerprint(filter);
    const cursor = encodeCursor({ occurredMs: 1_767_225_600_000, seq: 42 }, fingerprint);
    const query = new URLSearchParams({
      model: 'credit-risk',
      model_version: '4.2.0',
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00+01:00',
      reason: 'INCOME_STABLE',
      action_kind: 'override',
      outcome_status: 'failure',
      subject: 'applicant-77',
      q: 'stable income',
      limit: '25',
      cursor,
      'label.team': 'risk',
      'label.region': 'eu',
    });
    expect(parseDecisionQuery(query)).toEqual({
      ok: true,
      filter,
      page: { limit: 25, after: { occurredMs: 1_767_225_600_000, seq: 42 } },
      fingerprint,
    });
  });

  test.each(['model', 'model_version', 'subject', 'reason'])('%s must not be empty', (name) => {
    expect(issuesOf(`${name}=`)).toEqual([{ path: name, message: 'must not be empty' }]);
  });

  test.each(['recommendation', 'automated', 'human_review', 'escalation', 'override', 'other'])(
    'action_kind=%s',
    (kind) => {
      expect(accepted(`action_kind=${kind}`).filter.actionKind).toBe(kind);
    },
  );

  test.each(['manual', '', 'Override'])('rejects action_kind=%s', (kind) => {
    expect(issuesOf(`action_kind=${kind}`)).toEqual([
      {
        path: 'action_kind',
        message:
          'must be one of recommendation, automated, human_review, escalation, override, other',
      },
    ]);
  });

  test.each(['success', 'failure', 'neutral', 'unknown'])('outcome_status=%s', (status) => {
    expect(accepted(`outcome_status=${status}`).filter.outcomeStatus).toBe(status);
  });

  test.each(['ok', ''])('rejects outcome_status=%s', (status) => {
    expect(issuesOf(`outcome_status=${status}`)).toEqual([
      { path: 'outcome_status', message: 'must be one of success, failure, neutral, unknown' },
    ]);
  });

  test('q keeps the words, lower-cased, of any script', () => {
    expect(accepted('q=Stable+INCOME,%20no-debt!%20Größe%2042').filter.words).toEqual([
      'stable',
      'income',
      'no',
      'debt',
      'größe',
      '42',
    ]);
  });

  test('q keeps each word once', () => {
    // 57 times "Income ": 399 characters, one word.
    expect(accepted(`q=${'Income '.repeat(57)}`).filter.words).toEqual(['income']);
  });

  test(`q holds at most ${MAX_QUERY_CHARS} characters and ${MAX_QUERY_WORDS} different words`, () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(accepted(`q=${words(MAX_QUERY_WORDS)}`).filter.words).toHaveLength(MAX_QUERY_WORDS);
    expect(issuesOf(`q=${words(MAX_QUERY_WORDS + 1)}`)).toEqual([
      {
        path: 'q',
        message: `has ${MAX_QUERY_WORDS + 1} different words; at most ${MAX_QUERY_WORDS}`,
      },
    ]);
    expect(accepted(`q=${'a'.repeat(MAX_QUERY_CHARS)}`).filter.words).toHaveLength(1);
    expect(issuesOf(`q=${'a'.repeat(MAX_QUERY_CHARS + 1)}`)).toEqual([
      {
        path: 'q',
        message: `is ${MAX_QUERY_CHARS + 1} characters long; at most ${MAX_QUERY_CHARS}`,
      },
    ]);
  });

  test(`holds at most ${MAX_LABEL_FILTERS} label filters`, () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `label.k${i}=v`).join('&');
    expect(accepted(labels(MAX_LABEL_FILTERS)).filter.labels).toHaveLength(MAX_LABEL_FILTERS);
    expect(issuesOf(labels(MAX_LABEL_FILTERS + 2))).toEqual([
      {
        path: `label.k${MAX_LABEL_FILTERS}`,
        message: `is one label filter too many: at most ${MAX_LABEL_FILTERS} per query`,
      },
      {
        path: `label.k${MAX_LABEL_FILTERS + 1}`,
        message: `is one label filter too many: at most ${MAX_LABEL_FILTERS} per query`,
      },
    ]);
  });

  test.each(['', '!!!', '  '])('q=%j needs a word', (q) => {
    expect(issuesOf(`q=${encodeURIComponent(q)}`)).toEqual([
      { path: 'q', message: 'needs at least one word' },
    ]);
  });

  test('from and to are RFC 3339 instants', () => {
    const result = accepted('from=2026-01-01T01:00:00%2B01:00&to=2026-01-01T00:00:00.001Z');
    expect([result.filter.fromMs, result.filter.toMs]).toEqual([
      Date.UTC(2026, 0, 1),
      Date.UTC(2026, 0, 1, 0, 0, 0, 1),
    ]);
  });

  test('a date alone is the start of that day in UTC, for from and to', () => {
    const result = accepted('from=2026-10-01&to=2026-10-02');
    expect([result.filter.fromMs, result.filter.toMs]).toEqual([
      Date.UTC(2026, 9, 1),
      Date.UTC(2026, 9, 2),
    ]);
  });

  test.each([
    ['without an offset', '2026-01-01T00:00:00'],
    ['with an unescaped + (read as a space)', '2026-01-01T00:00:00+01:00'],
    ['in epoch milliseconds', '1767225600000'],
    ['as a month', '2026-01'],
  ])('rejects a bound %s', (_name, at) => {
    for (const name of ['from', 'to']) {
      expect(issuesOf(`${name}=${at}`)).toEqual([
        { path: name, message: `must be ${QUERY_TIME_FORMS}` },
      ]);
    }
  });

  test.each([
    ['on February 29 of a common year', '2026-02-29', 'February 2026 has 28 days'],
    ['on February 30, with a time', '2026-02-30T00:00:00Z', 'February 2026 has 28 days'],
    ['on April 31', '2026-04-31', 'April 2026 has 30 days'],
  ])('says that a bound %s does not exist', (_name, at, why) => {
    for (const name of ['from', 'to']) {
      expect(issuesOf(`${name}=${at}`)).toEqual([
        { path: name, message: `the date ${at.slice(0, 10)} does not exist: ${why}` },
      ]);
    }
  });

  test.each([
    ['equal to from', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
    ['the same instant in another offset', '2026-01-01T01:00:00%2B01:00', '2026-01-01T00:00:00Z'],
    ['before from', '2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z'],
  ])('rejects to %s', (_name, from, to) => {
    expect(issuesOf(`from=${from}&to=${to}`)).toEqual([
      { path: 'to', message: 'must be later than from' },
    ]);
  });

  test.each([
    ['1', 1],
    ['1000', MAX_PAGE_SIZE],
    ['50', 50],
  ])('limit=%s', (limit, expected) => {
    expect(accepted(`limit=${limit}`).page.limit).toBe(expected);
  });

  test.each(['0', '1001', '99999', '-1', '1.5', '1e2', '+5', 'ten', ''])(
    'rejects limit=%s',
    (limit) => {
      expect(issuesOf(`limit=${encodeURIComponent(limit)}`)).toEqual([
        { path: 'limit', message: 'must be an integer from 1 to 1000' },
      ]);
    },
  );

  test('cursor resumes after the position it encodes, in the query it came from', () => {
    const after = { occurredMs: 1_767_225_600_000, seq: 9 };
    const { fingerprint } = accepted('model=m&label.team=risk&from=2026-10-01');
    const cursor = encodeCursor(after, fingerprint);
    expect(accepted(`model=m&label.team=risk&from=2026-10-01&cursor=${cursor}`).page.after).toEqual(
      after,
    );
    // The same filters, given otherwise: another page size, another order, the same instant.
    expect(
      accepted(`from=2026-10-01T02:00:00%2B02:00&label.team=risk&model=m&limit=5&cursor=${cursor}`)
        .page.after,
    ).toEqual(after);
  });

  test.each([
    ['another filter added', 'model=m&reason=r'],
    ['a filter left out', ''],
    ['another value', 'model=n'],
    ['another bound', 'model=m&from=2026-10-01'],
    ['another label', 'model=m&label.team=growth'],
    ['other words', 'model=m&q=income'],
  ])('refuses a cursor of another query: %s', (_name, query) => {
    const cursor = encodeCursor({ occurredMs: 0, seq: 3 }, accepted('model=m').fingerprint);
    expect(issuesOf(`${query}${query === '' ? '' : '&'}cursor=${cursor}`)).toEqual([
      {
        path: 'cursor',
        message:
          'belongs to another query: a cursor continues only the query it came from, with the same filters (the limit may change); start again from the first page (no cursor)',
      },
    ]);
  });

  test('refuses a cursor made before cursors were bound to their query', () => {
    const old = Buffer.from('v1:1767225600000:9').toString('base64url');
    expect(issuesOf(`cursor=${old}`)).toEqual([
      {
        path: 'cursor',
        message:
          'was made by an earlier declog and is not bound to its query; start again from the first page (no cursor)',
      },
    ]);
  });

  test.each(['', 'abc', 'djE6eDox', 'not a cursor'])('rejects cursor=%j', (cursor) => {
    expect(issuesOf(`cursor=${encodeURIComponent(cursor)}`)).toEqual([
      { path: 'cursor', message: 'is not a cursor returned by this API' },
    ]);
  });

  test('label.KEY filters on labels, in the order given', () => {
    expect(accepted('label.team=risk&label.team%20name=Risk%20Analytics').filter.labels).toEqual([
      ['team', 'risk'],
      ['team name', 'Risk Analytics'],
    ]);
  });

  test('label.KEY needs a key', () => {
    expect(issuesOf('label.=risk')).toEqual([
      { path: 'label.', message: 'needs a label key, as in label.team=risk' },
    ]);
  });

  test.each(['foo', 'Model', 'label', 'labels.team', 'model ', 'page'])(
    'rejects the unknown parameter %j',
    (name) => {
      expect(issuesOf(`${encodeURIComponent(name)}=x`)).toEqual([
        { path: name, message: NOT_A_FILTER },
      ]);
    },
  );

  test.each(['model=a&model=a', 'limit=5&limit=6', 'label.team=a&label.team=b', 'q=a&q=b'])(
    'rejects the repeated parameter in %s',
    (query) => {
      const name = query.split('=')[0] ?? '';
      expect(issuesOf(query)).toEqual([{ path: name, message: 'is given more than once' }]);
    },
  );

  test('names every bad parameter', () => {
    expect(
      issuesOf('model=&limit=0&foo=1&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'),
    ).toEqual([
      { path: 'model', message: 'must not be empty' },
      { path: 'limit', message: 'must be an integer from 1 to 1000' },
      { path: 'foo', message: NOT_A_FILTER },
      { path: 'to', message: 'must be later than from' },
    ]);
  });
});
