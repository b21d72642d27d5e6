import { describe, expect, it } from 'vitest';
import type { EventRecord } from './event-record.js';
import { httpTransport } from './http-transport.js';

const batch: EventRecord[] = [
  { id: 'a', json: '{"id":"a"}', bytes: 10 },
  { id: 'b', json: '{"id":"b"}', bytes: 10 },
];

function transport(answer: () => Response | Promise<Response>, seen: RequestInit[] = []) {
  return httpTransport({
    url: 'http://declog.test/',
    apiKey: 'key-1',
    tenant: 'acme',
    requestTimeoutMs: 1000,
    fetch: (_url, init) => {
      seen.push(init ?? {});
      return Promise.resolve(answer());
    },
    now: () => Date.parse('2026-12-07T10:00:00Z'),
    headers: { 'x-extra': '1' },
  });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('httpTransport', () => {
  it('posts the events as NDJSON with the key and tenant, and counts duplicates', async () => {
    const seen: RequestInit[] = [];
    const send = transport(
      () =>
        json(200, {
          results: [
            { id: 'a', seq: 0, status: 'created' },
            { id: 'b', seq: 1, status: 'duplicate' },
          ],
        }),
      seen,
    );
    expect(await send.send(batch)).toEqual({ kind: 'stored', created: 1, duplicates: 1 });
    expect(seen[0]!.body).toBe('{"id":"a"}\n{"id":"b"}');
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer key-1',
      'content-type': 'application/x-ndjson',
      'x-declog-tenant': 'acme',
      'x-extra': '1',
    });
  });

  it('passes a refusal on with the server’s details by index', async () => {
    const details = [{ index: 1, path: 'model.version', message: 'is required' }];
    const outcome = await transport(() =>
      json(400, {
        error: { code: 'invalid_event', message: '1 of 2 event(s) are invalid', details },
      }),
    ).send(batch);
    expect(outcome).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'invalid_event',
      message: '1 of 2 event(s) are invalid',
      issues: details,
    });
  });

  it('retries 429 and 503 with their Retry-After, and 401', async () => {
    const limited = await transport(() =>
      json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '3' }),
    ).send(batch);
    expect(limited).toMatchObject({
      kind: 'retry',
      status: 429,
      code: 'rate_limited',
      retryAfterMs: 3000,
    });
    const down = await transport(() =>
      json(
        503,
        { error: { code: 'store_unavailable', message: 'db' } },
        { 'retry-after': 'Mon, 07 Dec 2026 10:00:02 GMT' },
      ),
    ).send(batch);
    expect(down).toMatchObject({ kind: 'retry', status: 503, retryAfterMs: 2000 });
    const refused = await transport(() =>
      json(401, { error: { code: 'unauthorized', message: 'no' } }),
    ).send(batch);
    expect(refused).toMatchObject({ kind: 'retry', status: 401, code: 'unauthorized' });
  });

  it('turns a network error, a cut answer or a wrong result count into a retry, never a throw', async () => {
    const failing = httpTransport({
      url: 'http://declog.test',
      apiKey: 'k',
      tenant: undefined,
      requestTimeoutMs: 1000,
      fetch: () =>
        Promise.reject(new TypeError('fetch failed', { cause: new Error('ECONNRESET') })),
      now: Date.now,
      headers: {},
    });
    expect(await failing.send(batch)).toMatchObject({
      kind: 'retry',
      message: expect.stringContaining('ECONNRESET'),
    });
    expect(
      await transport(() => new Response('<html>', { status: 502 })).send(batch),
    ).toMatchObject({
      kind: 'retry',
      status: 502,
    });
    expect(await transport(() => json(200, { results: [] })).send(batch)).toMatchObject({
      kind: 'retry',
    });
  });
});
