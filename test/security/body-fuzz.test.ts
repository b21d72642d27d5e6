import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from '../helpers/child-processes.js';
import { decisionEvent } from '../helpers/event-factory.js';
import { runCli } from '../helpers/run-cli.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, testStore, type TestStore } from '../helpers/test-store.js';
import { ADMIN_AUTH } from '../helpers/admin-key.js';

// A property-based fuzzer of `POST /v1/events` bodies, run against the real server for a
// bounded time: deep nesting, huge strings, invalid UTF-8, prototype keys, repeated keys,
// number edge cases, and every content type. Whatever arrives, the server answers within
// seconds, never with a 5xx, always in the API's error shape; and everything it stored still
// verifies.

const tmp = useTempDir('body-fuzz');
afterAll(killChildProcesses);

/** Runs at most this long; the runs that fit are all checked. */
const TIME_LIMIT_MS = 20_000;
const NUM_RUNS = 300;
/** An answer slower than this is a hang. */
const ANSWER_TIMEOUT_MS = 10_000;

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=iso-8859-1',
  'application/x-ndjson',
  'application/ndjson',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=',
  '',
] as const;

/** A JSON text nested `depth` levels deep in arrays or objects. */
const nested = fc
  .tuple(fc.integer({ min: 1, max: 6_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** A JSON number text at the edges of what JSON and doubles allow. */
const edgeNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '0.0000000000000000000001',
  '9007199254740993',
  '123456789012345678901234567890',
  '1E+2',
  '-0.0e-0',
);

/** A value to plant in an event: what a hostile producer might put in a free member. */
const planted = fc.oneof(
  nested,
  edgeNumber,
  fc.string({ maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.integer({ min: 70_000, max: 300_000 }).map((n) => JSON.stringify('x'.repeat(n))),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"a":1,"a":2}',
    '"\\ud800"',
    '"\\u0000"',
    'null',
    '[]',
  ),
);

function base(): Record<string, unknown> {
  const { id: _id, ...event } = decisionEvent();
  return event;
}

/** A body: a valid decision with a planted value in one of its members, or raw bytes. */
const body = fc.oneof(
  fc
    .tuple(
      planted,
      fc.constantFrom('prediction.value', 'labels', 'input.features', 'cohort', 'context', 'top'),
      fc.boolean(),
    )
    .map(([value, where, duplicateKey]) => {
      const marker = '"@@PLANT@@"';
      const event = base();
      if (where === 'prediction.value') event['prediction'] = { value: '@@PLANT@@' };
      else if (where === 'top')
        event['planted'] = '@@PLANT@@'; // an unknown member
      else event[where] = { key: '@@PLANT@@' };
      let text = JSON.stringify({ events: [event] }).replace(marker, value);
      if (duplicateKey) text = text.replace('{"events":', '{"events":[],"events":');
      return Buffer.from(text, 'utf8');
    }),
  // Valid JSON with bytes that are not UTF-8 inside a string.
  fc
    .uint8Array({ minLength: 1, maxLength: 4 })
    .map((bytes) =>
      Buffer.concat([
        Buffer.from('{"events":[' + JSON.stringify(base()).slice(0, -1) + ',"labels":{"k":"'),
        Buffer.from(bytes.map((b) => 0x80 | (b & 0x7f))),
        Buffer.from('"}}]}'),
      ]),
    ),
  // Anything at all.
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 500 }).map((s) => Buffer.from(s, 'utf8')),
);

describe('POST /v1/events under fuzzed bodies', () => {
  let store: TestStore;
  let server: ServerProcess;

  beforeAll(async () => {
    store = await testStore(tmp, 'fuzz');
    server = await startServerOn(store);
  });

  it('never answers 5xx or hangs, answers in the error shape, and what it stored verifies', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(...CONTENT_TYPES), async (bytes, contentType) => {
        const response = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: {
            authorization: ADMIN_AUTH.authorization,
            ...(contentType === '' ? {} : { 'content-type': contentType }),
          },
          body: bytes,
          signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, text.slice(0, 300)).toBeLessThan(500);
        const answer = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        if (response.status >= 400) {
          expect(typeof answer.error?.code, text.slice(0, 300)).toBe('string');
          expect(typeof answer.error?.message, text.slice(0, 300)).toBe('string');
        }
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
    );
    // The fuzzer reached both sides: some bodies were stored, others refused.
    const stored = statuses.get(200) ?? 0;
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
    expect({ stored: stored > 0, refused: refused > 0 }, JSON.stringify([...statuses])).toEqual({
      stored: true,
      refused: true,
    });
    const verify = await runCli(['verify', ...store.args], { cwd: store.cwd, timeoutMs: 60_000 });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
