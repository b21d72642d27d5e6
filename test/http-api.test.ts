import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  annotationEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  uniqueId,
  withoutId,
  type DecisionEvent,
  type Stored,
  type TestEvent,
} from './helpers/event-factory.js';
import {
  expectApiError,
  expectNothingStored,
  getJson,
  ingestOk,
  postBody,
  postEvents,
  request,
  withAuthorization,
  type ApiErrorBody,
  type DecisionChain,
  type DecisionPage,
  type IngestResult,
  type Json,
} from './helpers/http-api.js';
import {
  COMBINED_FILTERS,
  matches,
  SEEDS,
  SINGLE_FILTERS,
} from './helpers/decision-query-dataset.js';
import { type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { startServerOn, STORE_KIND, testStore } from './helpers/test-store.js';

const tmp = useTempDir('http');
let server: ServerProcess;
let url: string;

beforeAll(async () => {
  server = await startServerOn(await testStore(tmp, 'api'));
  url = server.url;
});
afterAll(killChildProcesses);

/** What the API returns for `event` stored under `result`. */
function stored<E extends TestEvent>(event: E, result: IngestResult | undefined): Stored<E> {
  if (!result) throw new Error(`no ingest result for ${event.id ?? 'event'}`);
  return { ...event, id: result.id, seq: result.seq, recorded_at: expect.any(String) as string };
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MiB = 1024 * 1024;

describe('the server process', () => {
  it('prints its URL and database when ready and answers GET /healthz', async () => {
    const database = STORE_KIND === 'sqlite' ? String.raw`\S*api\.db` : 'postgres://\\S+';
    expect(server.banner).toMatch(
      new RegExp(String.raw`^declog serving http://127\.0\.0\.1:\d+ \(database ${database}\)$`),
    );
    const health = await request(url, '/healthz');
    expect(health.status).toBe(200);
  });
});

describe('recording and reading a decision chain', () => {
  it('reads back decision, actions, outcomes and annotations, each list in time order', async () => {
    const started = Date.now();
    const decision = decisionEvent({ occurred_at: '2026-03-01T12:00:00Z' });
    const id = idOf(decision);
    const actionLate = actionEvent(id, { occurred_at: '2026-03-01T12:05:00Z' });
    // Later as text but earlier in time (12:01Z): order must follow the instant.
    const actionEarly = actionEvent(id, {
      occurred_at: '2026-03-01T14:01:00+02:00',
      kind: 'human_review',
    });
    const outcome = outcomeEvent(id, { occurred_at: '2026-03-02T09:00:00Z' });
    outcome.outcome.action_id = idOf(actionLate);
    const noteFirst = annotationEvent(id, { occurred_at: '2026-03-03T00:00:00Z', text: 'first' });
    const noteSecond = annotationEvent(id, { occurred_at: '2026-03-03T00:00:00Z', text: 'second' });

    const [d] = await ingestOk(url, [decision]);
    const [aLate, aEarly] = await ingestOk(url, [actionLate, actionEarly]);
    const [o] = await ingestOk(url, [outcome]);
    const [n1, n2] = await ingestOk(url, [noteFirst, noteSecond]);
    const results = [d, aLate, aEarly, o, n1, n2];
    expect(results.map((r) => r?.status)).toEqual(Array(6).fill('created'));
    const first = d?.seq ?? -1;
    expect(results.map((r) => r?.seq)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i));

    const chain = await getJson<DecisionChain>(url, `/v1/decisions/${id}`);
    expect(chain.status).toBe(200);
    expect(chain.body).toEqual({
      decision: stored(decision, d),
      actions: [stored(actionEarly, aEarly), stored(actionLate, aLate)],
      outcomes: [stored(outcome, o)],
      // same occurred_at: the earlier seq comes first
      // The server records which key posted each annotation (here the test's admin key).
      annotations: [
        { ...stored(noteFirst, n1), posted_by: { key_id: 'admin' } },
        { ...stored(noteSecond, n2), posted_by: { key_id: 'admin' } },
      ],
    });
    const recordedAt = Date.parse(chain.body.decision.recorded_at);
    expect(recordedAt).toBeGreaterThanOrEqual(started - 1000);
    expect(recordedAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(chain.body.decision.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const action = await getJson(url, `/v1/actions/${idOf(actionLate)}`);
    expect(action.status).toBe(200);
    expect(action.body).toEqual({
      action: stored(actionLate, aLate),
      decision: stored(decision, d),
    });
  });

  it('links actions, outcomes and annotations that arrive before their decision', async () => {
    const decision = decisionEvent();
    const id = idOf(decision);
    const action = actionEvent(id, { occurred_at: '2026-03-01T12:01:00Z' });
    const outcome = outcomeEvent(id, { occurred_at: '2026-03-01T12:02:00Z', status: 'failure' });
    const [a, o] = await ingestOk(url, [action, outcome]);

    const early = await getJson(url, `/v1/actions/${idOf(action)}`);
    expect(early.status).toBe(200);
    expect(early.body).toEqual({ action: stored(action, a), decision: null });
    const missing = expectApiError(await getJson(url, `/v1/decisions/${id}`), 404, 'not_found');
    expect(missing.message).toContain(id);

    const note = annotationEvent(id, { occurred_at: '2026-03-01T12:03:00Z' });
    const [n] = await ingestOk(url, [note]);
    const [d] = await ingestOk(url, [decision]);

    const chain = await getJson<DecisionChain>(url, `/v1/decisions/${id}`);
    expect(chain.status).toBe(200);
    expect(chain.body).toEqual({
      decision: stored(decision, d),
      actions: [stored(action, a)],
      outcomes: [stored(outcome, o)],
      annotations: [{ ...stored(note, n), posted_by: { key_id: 'admin' } }],
    });
    const late = await getJson(url, `/v1/actions/${idOf(action)}`);
    expect(late.body).toEqual({ action: stored(action, a), decision: stored(decision, d) });
  });

  it('answers 404 not_found for unknown ids and for ids of the wrong type', async () => {
    const decision = decisionEvent();
    const action = actionEvent(idOf(decision));
    await ingestOk(url, [decision, action]);
    expectApiError(await getJson(url, `/v1/decisions/${uniqueId('nope')}`), 404, 'not_found');
    expectApiError(await getJson(url, `/v1/actions/${uniqueId('nope')}`), 404, 'not_found');
    expectApiError(await getJson(url, `/v1/decisions/${idOf(action)}`), 404, 'not_found');
    expectApiError(await getJson(url, `/v1/actions/${idOf(decision)}`), 404, 'not_found');
  });

  it('serves ids of the longest allowed length and rejects malformed ids with 400', async () => {
    const longId = `L${'x'.repeat(127)}`;
    const decision = decisionEvent({ id: longId });
    const action = actionEvent(longId, { id: `A${'y'.repeat(127)}` });
    await ingestOk(url, [decision, action]);
    expect((await getJson(url, `/v1/decisions/${longId}`)).status).toBe(200);
    expect((await getJson(url, `/v1/actions/${idOf(action)}`)).status).toBe(200);

    for (const bad of ['has%20space', `${'z'.repeat(129)}`, 'z'.repeat(2000), '%ZZ']) {
      for (const route of ['decisions', 'actions']) {
        const response = await getJson(url, `/v1/${route}/${bad}`);
        expectApiError(response, 400, 'invalid_parameter');
      }
    }
  });
});

describe('duplicates and id conflicts', () => {
  it('answers a resubmitted event as a duplicate with its original seq', async () => {
    const decision = decisionEvent();
    const [first] = await ingestOk(url, [decision]);
    const [again] = await ingestOk(url, [decision]);
    expect(first?.status).toBe('created');
    expect(again).toEqual({ id: decision.id, seq: first?.seq, status: 'duplicate' });
  });

  it('compares content, not text: key order and number spelling do not matter', async () => {
    const decision = decisionEvent({ prediction: { label: 'approve', score: 0.82 } });
    const [first] = await ingestOk(url, [decision]);
    const reordered = Object.fromEntries(Object.entries(decision).reverse());
    const text = JSON.stringify({ events: [reordered] }).replace('"score":0.82', '"score":82e-2');
    expect(text).toContain('82e-2');
    const again = await postBody<{ results: IngestResult[] }>(url, text, 'application/json');
    expect(again.status).toBe(200);
    expect(again.body.results).toEqual([{ id: decision.id, seq: first?.seq, status: 'duplicate' }]);
  });

  it('rejects the same id with other content with 409 id_conflict and keeps the original', async () => {
    const decision = decisionEvent();
    const [first] = await ingestOk(url, [decision]);
    const changed = { ...decision, rationale: { summary: 'A different rationale' } };
    await expectNothingStored(url, async () => {
      const error = expectApiError(await postEvents(url, [changed]), 409, 'id_conflict');
      expect(error.details).toEqual([
        { index: 0, path: 'id', message: expect.stringContaining(idOf(decision)) as string },
      ]);
    });
    const chain = await getJson<DecisionChain>(url, `/v1/decisions/${idOf(decision)}`);
    expect(chain.body.decision).toEqual(stored(decision, first));
  });

  it('stores nothing of a batch in which one event conflicts', async () => {
    const existing = decisionEvent();
    await ingestOk(url, [existing]);
    const fresh1 = decisionEvent();
    const fresh2 = actionEvent(idOf(fresh1));
    const conflicting = { ...existing, confidence: 0.1 };
    await expectNothingStored(url, async () => {
      const error = expectApiError(
        await postEvents(url, [fresh1, conflicting, fresh2]),
        409,
        'id_conflict',
      );
      expect(error.details.map(({ index, path }) => ({ index, path }))).toEqual([
        { index: 1, path: 'id' },
      ]);
    });
    expectApiError(await getJson(url, `/v1/decisions/${idOf(fresh1)}`), 404, 'not_found');
    expectApiError(await getJson(url, `/v1/actions/${idOf(fresh2)}`), 404, 'not_found');
  });

  it('handles a repeated id inside one batch: same content is a duplicate, other is a conflict', async () => {
    const decision = decisionEvent();
    const results = await ingestOk(url, [decision, decision]);
    expect(results).toEqual([
      { id: decision.id, seq: results[0]?.seq, status: 'created' },
      { id: decision.id, seq: results[0]?.seq, status: 'duplicate' },
    ]);

    const other = decisionEvent();
    await expectNothingStored(url, async () => {
      const error = expectApiError(
        await postEvents(url, [other, { ...other, confidence: 0.2 }]),
        409,
        'id_conflict',
      );
      expect(error.details.map(({ index, path }) => ({ index, path }))).toEqual([
        { index: 1, path: 'id' },
      ]);
    });
    expectApiError(await getJson(url, `/v1/decisions/${idOf(other)}`), 404, 'not_found');
  });

  it('accepts a batch mixing duplicates and new events', async () => {
    const old = decisionEvent();
    const [first] = await ingestOk(url, [old]);
    const fresh = decisionEvent();
    const results = await ingestOk(url, [old, fresh]);
    expect(results).toEqual([
      { id: old.id, seq: first?.seq, status: 'duplicate' },
      { id: fresh.id, seq: (first?.seq ?? 0) + 1, status: 'created' },
    ]);
  });
});

describe('server-assigned ids', () => {
  it('gives events without an id distinct, time-ordered UUIDv7 ids and stores them', async () => {
    const before = Date.now();
    const decision = withoutId(decisionEvent());
    const results = await ingestOk(url, [decision, withoutId(decisionEvent()), decision]);
    const after = Date.now();
    const ids = results.map((r) => r.id);
    for (const id of ids) {
      expect(id).toMatch(UUID_V7);
      const millis = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
      expect(millis).toBeGreaterThanOrEqual(before - 1000);
      expect(millis).toBeLessThanOrEqual(after + 1000);
    }
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort()).toEqual(ids); // v7 ids sort in creation order
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);

    const first = ids[0] ?? '';
    const chain = await getJson<DecisionChain>(url, `/v1/decisions/${first}`);
    expect(chain.body.decision).toEqual(stored({ ...decision, id: first }, results[0]));

    // Resending with the assigned id is a duplicate, as a producer retrying would do.
    const [again] = await ingestOk(url, [{ ...decision, id: first }]);
    expect(again).toEqual({ id: first, seq: results[0]?.seq, status: 'duplicate' });
  });
});

/** `{index, path}` of each detail, sorted, for comparing with an expected set. */
function fields(details: readonly { index?: number; path: string }[]): string[] {
  return details.map((d) => `${d.index ?? '-'} ${d.path}`).sort();
}

describe('bad input', () => {
  it('names every bad field of every bad event, with index and path, and stores nothing', async () => {
    const good = decisionEvent();
    const badDecision = {
      type: 'decision',
      occurred_at: 'yesterday',
      model: { name: '' },
      prediction: {},
      confidence: 1.5,
      rationale: { summary: 'ok', reasons: [{ code: 7 }] },
      colour: 'red',
    };
    const goodAction = actionEvent(idOf(good));
    const badAction = {
      type: 'action',
      occurred_at: '2026-03-01T12:00:00Z',
      decision_id: 'has space',
      action: { kind: 'teleport', name: 'x', actor: { type: 'robot', id: 'r' } },
    };
    const badOutcome = { type: 'outcome' };
    const events = [
      good,
      badDecision,
      goodAction,
      badAction,
      badOutcome,
      null,
      42,
      [],
      { type: 'vote' },
      // Only the server assigns seq and recorded_at.
      { ...decisionEvent(), seq: 0, recorded_at: '2026-03-01T12:00:00Z' },
    ];
    await expectNothingStored(url, async () => {
      const error = expectApiError(await postEvents(url, events), 400, 'invalid_event');
      expect(fields(error.details)).toEqual(
        [
          '1 occurred_at',
          '1 model.name',
          '1 model.version',
          '1 prediction',
          '1 confidence',
          '1 rationale.reasons[0].code',
          '1 colour',
          '3 decision_id',
          '3 action.kind',
          '3 action.actor.type',
          '4 occurred_at',
          '4 decision_id',
          '4 outcome',
          '5 ',
          '6 ',
          '7 ',
          '8 type',
          '9 seq',
          '9 recorded_at',
        ].sort(),
      );
      for (const detail of error.details) expect(detail.message.length).toBeGreaterThan(0);
    });
    expectApiError(await getJson(url, `/v1/decisions/${idOf(good)}`), 404, 'not_found');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const body of ['{"events": [', '{events: []}', '', "{'events': []}"]) {
      await expectNothingStored(url, async () => {
        expectApiError(await postBody(url, body, 'application/json'), 400, 'invalid_json');
      });
    }
  });

  it('answers a body that is not {"events": [...]} with 400 invalid_body', async () => {
    const cases: [body: string, paths: string[]][] = [
      ['[]', ['']],
      ['null', ['']],
      ['"events"', ['']],
      ['{}', ['events']],
      ['{"events": {}}', ['events']],
      ['{"events": [], "extra": 1}', ['extra']],
    ];
    for (const [body, paths] of cases) {
      const response = await postBody(url, body, 'application/json');
      const error = expectApiError(response, 400, 'invalid_body');
      expect(
        error.details.map((d) => d.path),
        body,
      ).toEqual(paths);
    }
  });

  it('answers other content types with 415 unsupported_media_type', async () => {
    const body = JSON.stringify({ events: [decisionEvent()] });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      null,
    ]) {
      await expectNothingStored(url, async () => {
        const bytes = new TextEncoder().encode(body); // fetch adds no content type for bytes
        expectApiError(await postBody(url, bytes, type), 415, 'unsupported_media_type');
      });
    }
  });

  it('refuses a compressed body with 415, naming its Content-Encoding, before reading it', async () => {
    const body = gzipSync(JSON.stringify({ events: [decisionEvent()] }));
    for (const encoding of ['gzip', 'GZIP', 'deflate', 'identity, br']) {
      await expectNothingStored(url, async () => {
        const response = await request(url, '/v1/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body,
        });
        const error = expectApiError(response, 415, 'unsupported_media_type');
        const named = encoding.replace('identity, ', '').toLowerCase();
        expect(error.message).toBe(
          `Content-Encoding ${named} is not supported: send the body uncompressed`,
        );
        expect(error.details).toEqual([
          { path: 'Content-Encoding', message: `${named} is not supported; use identity` },
        ]);
      });
    }
    // A read has no body to decode, whatever it says of one.
    const read = await request(url, '/v1/decisions', { headers: { 'content-encoding': 'gzip' } });
    expect(read.status).toBe(200);
    // identity is no encoding at all.
    const plain = await request(url, '/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: JSON.stringify({ events: [decisionEvent()] }),
    });
    expect(plain.status).toBe(200);
  });

  it('accepts a body of exactly 10 MiB and answers a larger one with 413 payload_too_large', async () => {
    const event = decisionEvent();
    const start = `{"events":[${JSON.stringify(event)}]`;
    const exact = `${start}${' '.repeat(10 * MiB - start.length - 1)}}`;
    expect(Buffer.byteLength(exact)).toBe(10 * MiB);
    const accepted = await postBody<{ results: IngestResult[] }>(url, exact, 'application/json');
    expect(accepted.status).toBe(200);
    expect(accepted.body.results).toEqual([
      { id: event.id, seq: expect.any(Number) as number, status: 'created' },
    ]);

    const over = `${start}${' '.repeat(10 * MiB - start.length)}}`;
    expect(Buffer.byteLength(over)).toBe(10 * MiB + 1);
    for (const type of ['application/json', 'application/x-ndjson']) {
      await expectNothingStored(url, async () => {
        const body = over.replace(idOf(event), uniqueId('over'));
        expectApiError(await postBody(url, body, type), 413, 'payload_too_large');
      });
    }
  });

  it('accepts 10,000 events in a request and answers 10,001 with 413 too_many_events', async () => {
    const small = (i: number) => ({
      type: 'decision',
      occurred_at: '2026-04-01T00:00:00Z',
      model: { name: 'bulk', version: '1' },
      prediction: { score: i },
      rationale: { summary: 'bulk load' },
    });
    const many = Array.from({ length: 10_001 }, (_, i) => small(i));
    await expectNothingStored(url, async () => {
      expectApiError(await postEvents(url, many), 413, 'too_many_events');
      const ndjson = many.map((e) => JSON.stringify(e)).join('\n');
      expectApiError(await postBody(url, ndjson, 'application/x-ndjson'), 413, 'too_many_events');
    });
    const results = await ingestOk(url, many.slice(0, 10_000));
    expect(results).toHaveLength(10_000);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(['created']));
    const seqs = results.map((r) => r.seq);
    expect(seqs.at(-1)).toBe((seqs[0] ?? 0) + 9_999);
  });

  it('accepts an event of exactly 64 KiB and answers a larger one with 413 event_too_large', async () => {
    /** An action whose JSON text is exactly `bytes` long, padded with `char`. */
    const actionOfSize = (bytes: number, char = 'p') => {
      const event = actionEvent(uniqueId('dec'));
      event.action = {
        kind: 'other',
        name: 'pad',
        actor: { type: 'system', id: 's' },
        details: { pad: '' },
      };
      const base = Buffer.byteLength(JSON.stringify(event));
      const pad = char.repeat(Math.floor((bytes - base) / Buffer.byteLength(char)));
      event.action.details = { pad };
      expect(Buffer.byteLength(JSON.stringify(event))).toBe(bytes);
      return event;
    };
    const limit = 64 * 1024;
    const exact = actionOfSize(limit);
    expect((await postEvents(url, [exact])).status).toBe(200);
    const ndjsonExact = actionOfSize(limit);
    const ndjsonOk = await postBody(url, JSON.stringify(ndjsonExact), 'application/x-ndjson');
    expect(ndjsonOk.status).toBe(200);

    await expectNothingStored(url, async () => {
      const tooBig = [
        decisionEvent(),
        actionOfSize(limit + 1),
        decisionEvent(),
        actionOfSize(limit + 2),
      ];
      const error = expectApiError(await postEvents(url, tooBig), 413, 'event_too_large');
      expect(error.details.map((d) => d.index)).toEqual([1, 3]);
      const lines = tooBig.map((e) => JSON.stringify(e)).join('\n');
      const ndjson = expectApiError(
        await postBody(url, lines, 'application/x-ndjson'),
        413,
        'event_too_large',
      );
      expect(ndjson.details.map((d) => d.index)).toEqual([1, 3]);
      // Invalid events beside an oversize one are named too, in index order.
      const mixed = [
        { ...decisionEvent(), confidence: 2 },
        actionOfSize(limit + 1),
        decisionEvent(),
        { type: 'outcome' },
      ];
      const mixedError = expectApiError(await postEvents(url, mixed), 413, 'event_too_large');
      expect(mixedError.details.map((d) => d.index)).toEqual([0, 1, 3, 3, 3]);
      expect(fields(mixedError.details)).toEqual(
        ['0 confidence', '1 ', '3 occurred_at', '3 decision_id', '3 outcome'].sort(),
      );
      const mixedLines = mixed.map((e) => JSON.stringify(e)).join('\n');
      const mixedNdjson = expectApiError(
        await postBody(url, mixedLines, 'application/x-ndjson'),
        413,
        'event_too_large',
      );
      expect(mixedNdjson.details).toEqual(mixedError.details);
      // The limit counts UTF-8 bytes, not characters: 40,000 two-byte characters are too many.
      const wide = actionOfSize(limit + 2, 'é');
      expect(JSON.stringify(wide).length).toBeLessThan(limit);
      expectApiError(await postEvents(url, [wide]), 413, 'event_too_large');
    });
  });

  it('never answers bad input with a 500', async () => {
    const action = (details: string) =>
      `{"type":"action","occurred_at":"2026-03-01T12:00:00Z","decision_id":"d","action":{"kind":"other","name":"n","actor":{"type":"system","id":"s"},"details":${details}}}`;
    const batch = (...events: string[]) => `{"events":[${events.join(',')}]}`;
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const json = (event: unknown) => batch(JSON.stringify(event));
    // [what, body, content type, expected code]; every one is a 400.
    const [JSON_TYPE, NDJSON] = ['application/json', 'application/x-ndjson'];
    const cases: [string, string, string, string][] = [
      ['number out of range', batch(action('{"x":1e400}')), JSON_TYPE, 'invalid_event'],
      ['lone surrogate', batch(action('{"x":"\\ud800"}')), JSON_TYPE, 'invalid_event'],
      ['nested 4,000 deep', batch(action(nested(4000))), JSON_TYPE, 'invalid_event'],
      ['nested 20,000 deep', batch(action(nested(20_000))), JSON_TYPE, 'invalid_event'],
      ['event nested 10^6 deep', batch(nested(1_000_000)), JSON_TYPE, 'invalid_event'],
      ['NDJSON line nested deep', action(nested(4000)), NDJSON, 'invalid_event'],
      ['NDJSON out of range', action('{"x":-1e999}'), NDJSON, 'invalid_event'],
      ['__proto__ field', batch('{"__proto__":{"type":"decision"}}'), JSON_TYPE, 'invalid_event'],
      [
        'February 30',
        json(decisionEvent({ occurred_at: '2026-02-30T00:00:00Z' })),
        JSON_TYPE,
        'invalid_event',
      ],
      ['id too long', json(decisionEvent({ id: 'i'.repeat(129) })), JSON_TYPE, 'invalid_event'],
      ['events is null', '{"events":null}', JSON_TYPE, 'invalid_body'],
      ['byte order mark', '\uFEFF{"events":[]}', JSON_TYPE, 'invalid_json'],
    ];
    for (const [what, body, type, code] of cases) {
      await expectNothingStored(url, async () => {
        const response = await postBody(url, body, type);
        expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(400);
        expectApiError(response, 400, code);
      });
    }
    expect(server.stderr()).not.toContain('internal error');
  });
});

describe('NDJSON bodies', () => {
  it('stores one event a line, skipping blank lines and accepting CRLF line ends', async () => {
    const decision = decisionEvent();
    const action = actionEvent(idOf(decision));
    const note = annotationEvent(idOf(decision));
    const body = `${JSON.stringify(decision)}\r\n\r\n${JSON.stringify(action)}\n  \n${JSON.stringify(note)}\n`;
    for (const type of ['application/x-ndjson', 'application/ndjson']) {
      const response = await postBody<{ results: IngestResult[] }>(url, body, type);
      expect(response.status).toBe(200);
      expect(response.body.results.map((r) => r.id)).toEqual([decision.id, action.id, note.id]);
    }
    const chain = await getJson<DecisionChain>(url, `/v1/decisions/${idOf(decision)}`);
    expect(chain.body.actions.map((a) => a.id)).toEqual([action.id]);
    expect(chain.body.annotations.map((a) => a.id)).toEqual([note.id]);
  });

  it('rejects the whole body for a malformed line, naming its index and line number', async () => {
    const good = decisionEvent();
    const body = [
      JSON.stringify(good),
      '',
      '{"type": "decision",',
      JSON.stringify(decisionEvent()),
    ].join('\n');
    await expectNothingStored(url, async () => {
      const error = expectApiError(
        await postBody(url, body, 'application/x-ndjson'),
        400,
        'invalid_json',
      );
      expect(error.details).toEqual([
        { index: 1, path: '', message: expect.stringContaining('line 3') as string },
      ]);
    });
    expectApiError(await getJson(url, `/v1/decisions/${idOf(good)}`), 404, 'not_found');
  });

  it('names the bad fields of invalid lines by their event index', async () => {
    const lines = [decisionEvent(), { ...decisionEvent(), confidence: 2 }, decisionEvent()];
    await expectNothingStored(url, async () => {
      const body = lines.map((e) => JSON.stringify(e)).join('\n');
      const error = expectApiError(
        await postBody(url, body, 'application/x-ndjson'),
        400,
        'invalid_event',
      );
      expect(fields(error.details)).toEqual(['1 confidence']);
    });
  });
});

describe('content types', () => {
  // Media types are case-insensitive (RFC 9110 §8.3.1) and may carry parameters.
  it('reads JSON and NDJSON bodies whatever the case of the media type, and stores them', async () => {
    for (const type of [
      'Application/JSON; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;charset=UTF-8',
      'application/json ; charset=utf-8',
    ]) {
      const event = decisionEvent();
      const body = JSON.stringify({ events: [event] });
      const response = await postBody<{ results: IngestResult[] }>(url, body, type);
      expect(response.status, `${type}: ${JSON.stringify(response.body)}`).toBe(200);
      expect(response.body.results.map((r) => r.id)).toEqual([event.id]);
      expect((await getJson(url, `/v1/decisions/${idOf(event)}`)).status, type).toBe(200);
    }
    for (const type of [
      'APPLICATION/X-NDJSON',
      'Application/NDJSON; charset=utf-8',
      'application/x-ndjson;charset=UTF-8',
    ]) {
      const decision = decisionEvent();
      const action = actionEvent(idOf(decision));
      const body = [decision, action].map((e) => JSON.stringify(e)).join('\n');
      const response = await postBody<{ results: IngestResult[] }>(url, body, type);
      expect(response.status, `${type}: ${JSON.stringify(response.body)}`).toBe(200);
      expect(response.body.results.map((r) => r.id)).toEqual([decision.id, action.id]);
      const chain = await getJson<DecisionChain>(url, `/v1/decisions/${idOf(decision)}`);
      expect(
        chain.body.actions.map((a) => a.id),
        type,
      ).toEqual([action.id]);
    }
  });
});

describe('unknown routes and the OpenAPI document', () => {
  it('answers unknown routes with 404 route_not_found', async () => {
    const cases: [string, string][] = [
      ['GET', '/v1/unknown'],
      ['GET', '/v2/decisions'],
      ['DELETE', '/v1/unknown/abc'],
      ['GET', '/v1/decisions/abc/def'],
      ['GET', '/index.php'],
    ];
    for (const [method, path] of cases) {
      const error = expectApiError(await request(url, path, { method }), 404, 'route_not_found');
      expect(error.message).toContain(path);
    }
  });

  it('answers a known path asked with another method with 405 and Allow', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/v1/decisions', 'GET, HEAD'],
      ['DELETE', '/v1/decisions/abc', 'GET, HEAD'],
      ['PUT', '/v1/actions/abc', 'GET, HEAD'],
      ['DELETE', '/v1/events', 'GET, HEAD, POST'],
      ['POST', '/v1/keys/abc', 'DELETE'],
      ['PATCH', '/v1/policies/masking', 'GET, HEAD, PUT, DELETE'],
      ['POST', '/healthz?x=1', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${url}${path}`, withAuthorization({ method }));
      const body = (await response.json()) as ApiErrorBody;
      expect([response.status, body.error.code], `${method} ${path}`).toEqual([
        405,
        'method_not_allowed',
      ]);
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(body.error.message).toBe(
        `${method} is not allowed on ${path.split('?')[0] ?? ''}; it answers ${allow}`,
      );
    }
  });

  it('serves an OpenAPI 3.1 document whose event schemas allow no other properties', async () => {
    const response = await getJson<Json>(url, '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const doc = response.body as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      components: { schemas: Record<string, Json> };
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(doc.paths['/v1/events'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/v1/decisions'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/v1/decisions/{id}'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/v1/actions/{id}'] ?? {})).toContain('get');
    const parameters = (doc.paths['/v1/decisions']?.['get']?.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(parameters.sort()).toEqual(
      [
        'model',
        'model_version',
        'from',
        'to',
        'reason',
        'action_kind',
        'outcome_status',
        'subject',
        'label',
        'q',
        'limit',
        'cursor',
      ].sort(),
    );

    const event = doc.components.schemas['Event'] as { oneOf?: Json[]; anyOf?: Json[] };
    const variants = event.oneOf ?? event.anyOf ?? [];
    expect(variants).toHaveLength(4);
    for (const variant of variants) {
      const resolved = resolveRef(doc.components.schemas, variant);
      expect(resolved['additionalProperties'], JSON.stringify(resolved).slice(0, 200)).toBe(false);
    }
    const types = variants.map((v) => {
      const properties = resolveRef(doc.components.schemas, v)['properties'] as Record<
        string,
        Json
      >;
      return properties['type']?.['const'];
    });
    expect(types.sort()).toEqual(['action', 'annotation', 'decision', 'outcome']);
  });
});

function resolveRef(schemas: Record<string, Json>, schema: Json): Json {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  return schemas[ref.replace('#/components/schemas/', '')] ?? {};
}

describe('GET /v1/decisions filters', () => {
  let queryUrl: string;
  /** Seed key → id and seq of its decision. */
  const stored = new Map<string, { id: string; seq: number }>();
  const keyOf = new Map<string, string>();

  beforeAll(async () => {
    const server = await startServerOn(await testStore(tmp, 'query'));
    queryUrl = server.url;
    for (const seed of SEEDS) {
      const decision: DecisionEvent = decisionEvent({
        id: uniqueId(seed.key),
        occurred_at: seed.at,
        model: { name: seed.model, version: seed.version },
        rationale: { summary: seed.summary, reasons: seed.reasons.map((code) => ({ code })) },
        labels: { ...seed.labels },
      });
      if (seed.subject) decision.subject = { id: seed.subject };
      else delete decision.subject;
      const id = idOf(decision);
      const linked = [
        ...seed.kinds.map((kind) => actionEvent(id, { kind })),
        ...seed.statuses.map((status) => outcomeEvent(id, { status })),
      ];
      // Other decisions' actions and outcomes must not leak into the filters.
      const noise = [actionEvent(uniqueId('orphan'), { kind: 'escalation' })];
      if (seed.linkFirst) await ingestOk(queryUrl, [...linked, ...noise]);
      const [result] = await ingestOk(queryUrl, [decision]);
      if (!seed.linkFirst) await ingestOk(queryUrl, [...linked, ...noise]);
      if (!result) throw new Error('no result');
      stored.set(seed.key, { id, seq: result.seq });
      keyOf.set(id, seed.key);
    }
  });

  /** Seed keys expected for `query`, newest first (occurred_at, then seq). */
  function expected(query: readonly (readonly [string, string])[]): string[] {
    return SEEDS.filter((seed) => matches(seed, query))
      .sort(
        (a, b) =>
          Date.parse(b.at) - Date.parse(a.at) ||
          (stored.get(b.key)?.seq ?? 0) - (stored.get(a.key)?.seq ?? 0),
      )
      .map((seed) => seed.key);
  }

  async function list(query: readonly (readonly [string, string])[]): Promise<DecisionPage> {
    const params = new URLSearchParams(query.map(([k, v]): [string, string] => [k, v]));
    const response = await getJson<DecisionPage>(queryUrl, `/v1/decisions?${params.toString()}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  const keys = (page: DecisionPage) => page.items.map((d) => keyOf.get(d.id) ?? d.id);

  it('lists every decision newest first without filters', async () => {
    const page = await list([]);
    expect(keys(page)).toEqual(expected([]));
    expect(page.next_cursor).toBeNull();
    const all = expected([]);
    // Ties on occurred_at come newest seq first; an offset time sorts by its instant.
    expect(all.indexOf('q11')).toBeLessThan(all.indexOf('q02'));
    expect(all.indexOf('q02')).toBeLessThan(all.indexOf('q01'));
    expect(all.indexOf('q03')).toBeGreaterThan(all.indexOf('q04'));
    expect(page.items[0]).toMatchObject({ type: 'decision', seq: expect.any(Number) as number });
  });

  it.each(SINGLE_FILTERS.map((filter) => [`${filter[0]}=${filter[1]}`, filter] as const))(
    'filters by %s alone',
    async (_name, filter) => {
      const want = expected([filter]);
      expect(want.length, 'the data set must make this filter narrow').toBeGreaterThan(0);
      expect(want.length).toBeLessThan(SEEDS.length);
      expect(keys(await list([filter]))).toEqual(want);
    },
  );

  it.each(
    COMBINED_FILTERS.map((query) => [query.map(([k, v]) => `${k}=${v}`).join('&'), query] as const),
  )('combines filters: %s', async (_name, query) => {
    const want = expected(query);
    expect(want.length).toBeGreaterThan(0);
    for (const filter of query) {
      // Each filter alone matches more, so the answer shows that all of them apply.
      expect(expected([filter]).length, `${filter[0]} alone`).toBeGreaterThan(want.length);
    }
    expect(keys(await list(query))).toEqual(want);
  });

  it('returns an empty page when nothing matches', async () => {
    const page = await list([
      ['model', 'credit'],
      ['label.team', 'fraud'],
    ]);
    expect(page).toEqual({ items: [], next_cursor: null });
    expect(await list([['q', 'nonexistentword']])).toEqual({ items: [], next_cursor: null });
  });

  it('pages through a filtered list with a cursor', async () => {
    const query = [['label.team', 'risk']] as const;
    const want = expected(query);
    expect(want.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: DecisionPage = await list([
        ...query,
        ['limit', '2'],
        ...(cursor ? [['cursor', cursor] as const] : []),
      ]);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...keys(page));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(want);
  });

  it('honours limit from 1 to 1000', async () => {
    const one = await list([['limit', '1']]);
    expect(keys(one)).toEqual(expected([]).slice(0, 1));
    expect(one.next_cursor).toEqual(expect.any(String));
    const max = await list([['limit', '1000']]);
    expect(max.items).toHaveLength(SEEDS.length);
    expect(max.next_cursor).toBeNull();
    const exact = await list([['limit', String(SEEDS.length)]]);
    expect(exact.items).toHaveLength(SEEDS.length);
    expect(exact.next_cursor, 'no next page when the last page is exactly full').toBeNull();
  });

  it('rejects bad parameters with 400 invalid_query naming each one', async () => {
    const cases: [string, string[]][] = [
      ['colour=red', ['colour']],
      ['models=credit', ['models']],
      ['limit=0', ['limit']],
      ['limit=1001', ['limit']],
      ['limit=-1', ['limit']],
      ['limit=ten', ['limit']],
      ['limit=1.5', ['limit']],
      ['from=yesterday', ['from']],
      ['to=2026-01', ['to']],
      ['from=2026-02-29', ['from']],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', ['to']],
      ['action_kind=teleport', ['action_kind']],
      ['outcome_status=meh', ['outcome_status']],
      ['model=a&model=b', ['model']],
      ['label.=x', ['label.']],
      ['q=%21%21%21', ['q']],
      ['model=', ['model']],
      ['cursor=not-a-cursor', ['cursor']],
      [`cursor=${Buffer.from('v2:1:2').toString('base64url')}`, ['cursor']],
      // A cursor of another query (its fingerprint is not this one's).
      [`cursor=${Buffer.from('v2:1:2:abcdefgh').toString('base64url')}`, ['cursor']],
      ['cursor=', ['cursor']],
      ['colour=red&limit=0&cursor=%25', ['colour', 'limit', 'cursor']],
    ];
    for (const [query, paths] of cases) {
      const error = expectApiError(
        await getJson(queryUrl, `/v1/decisions?${query}`),
        400,
        'invalid_query',
      );
      expect(error.details.map((d) => d.path).sort(), query).toEqual([...paths].sort());
    }
  });
});

describe('GET /v1/decisions pagination while events arrive', () => {
  let pageUrl: string;
  const seeded: { id: string; seq: number; at: number }[] = [];

  beforeAll(async () => {
    const server = await startServerOn(await testStore(tmp, 'pages'));
    pageUrl = server.url;
    // 130 decisions, three per minute so that pages end inside runs of equal occurred_at.
    const events = Array.from({ length: 130 }, (_, i) =>
      decisionEvent({
        id: uniqueId('page'),
        occurred_at: new Date(Date.UTC(2026, 1, 1) + Math.floor(i / 3) * 60_000).toISOString(),
      }),
    );
    // Insert in a shuffled order so that seq order differs from time order.
    const shuffled = events.map((e, i) => ({ e, k: (i * 7919) % 131 })).sort((a, b) => a.k - b.k);
    const results = await ingestOk(
      pageUrl,
      shuffled.map(({ e }) => e),
    );
    shuffled.forEach(({ e }, i) =>
      seeded.push({ id: idOf(e), seq: results[i]?.seq ?? -1, at: Date.parse(e.occurred_at) }),
    );
    seeded.sort((a, b) => b.at - a.at || b.seq - a.seq);
  });

  it('returns 100 decisions by default', async () => {
    const page = await getJson<DecisionPage>(pageUrl, '/v1/decisions');
    expect(page.body.items.map((d) => d.id)).toEqual(seeded.slice(0, 100).map((s) => s.id));
    expect(page.body.next_cursor).toEqual(expect.any(String));
  });

  it('visits every old decision exactly once while new ones are inserted between pages', async () => {
    const collected: Stored<TestEvent>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/v1/decisions?limit=17${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await getJson<DecisionPage>(pageUrl, path);
      expect(page.status).toBe(200);
      collected.push(...page.body.items);
      cursor = page.body.next_cursor;
      pages += 1;
      const last = page.body.items.at(-1);
      if (cursor !== null && last) {
        // Newer than everything, inside the pages already read, tied with the page's last item,
        // and older than everything.
        const firstAt = page.body.items[0]?.occurred_at ?? last.occurred_at;
        await ingestOk(pageUrl, [
          decisionEvent({ id: uniqueId('new-newest'), occurred_at: '2027-01-01T00:00:00Z' }),
          decisionEvent({ id: uniqueId('new-seen'), occurred_at: firstAt }),
          decisionEvent({ id: uniqueId('new-tie'), occurred_at: last.occurred_at }),
          decisionEvent({
            id: uniqueId('new-oldest'),
            occurred_at: `2025-01-${String(pages).padStart(2, '0')}T00:00:00Z`,
          }),
        ]);
      }
    } while (cursor !== null);
    expect(pages).toBeGreaterThan(7);

    const ids = collected.map((d) => d.id);
    expect(new Set(ids).size, 'a decision was returned twice').toBe(ids.length);
    const oldIds = new Set(seeded.map((s) => s.id));
    expect(ids.filter((id) => oldIds.has(id))).toEqual(seeded.map((s) => s.id));
    for (let i = 1; i < collected.length; i += 1) {
      const [a, b] = [collected[i - 1], collected[i]];
      if (!a || !b) continue;
      const order = Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.seq - b.seq;
      expect(order, `${a.id} then ${b.id} is not newest first`).toBeGreaterThan(0);
    }
  });
});
