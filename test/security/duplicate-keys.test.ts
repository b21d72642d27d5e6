import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from '../helpers/child-processes.js';
import { decisionEvent } from '../helpers/event-factory.js';
import {
  expectApiError,
  expectNothingStored,
  postBody,
  request,
  type Json,
} from '../helpers/http-api.js';
import { runCli } from '../helpers/run-cli.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, STORE_KIND, testStore, type TestStore } from '../helpers/test-store.js';

// JSON.parse keeps the last of repeated member names without a word, so a body could say two
// things at once (one to a proxy or a log, another to the ledger). Repeated names are refused.

const tmp = useTempDir('duplicate-keys');
afterAll(killChildProcesses);

let store: TestStore;
let server: ServerProcess;

beforeAll(async () => {
  store = await testStore(tmp, 'dup');
  server = await startServerOn(store);
});
afterAll(() => server.stop());

const REPEATED = 'repeats a member name of the same object (member names must be unique)';

/**
 * A decision's JSON text with the members `extra` written at its end, in place of those of
 * the same names.
 */
function decisionWith(extra: string): string {
  const base = Object.entries(decisionEvent()).filter(([name]) => !extra.includes(`"${name}"`));
  return `${JSON.stringify(Object.fromEntries(base)).slice(0, -1)},${extra}}`;
}

describe(`repeated member names, on ${STORE_KIND}`, () => {
  it.each([
    ['a label', '"labels":{"team":"a","team":"b"}', 'labels.team'],
    ['a top-level member', '"confidence":0.1,"confidence":0.9', 'confidence'],
    [
      'a member deep in prediction.value',
      '"prediction":{"value":{"a":[{"b":1},{"b":1," b":2,"b":3}]}}',
      'prediction.value.a[1].b',
    ],
    [
      'an escaped spelling of the same name',
      '"labels":{"team":"a","t\\u0065am":"b"}',
      'labels.team',
    ],
  ])('refuses %s, naming the event index and the path', async (_name, extra, path) => {
    const body = `{"events":[${JSON.stringify(decisionEvent())},${decisionWith(extra)}]}`;
    await expectNothingStored(server.url, async () => {
      const error = expectApiError(
        await postBody(server.url, body, 'application/json'),
        400,
        'invalid_event',
      );
      expect(error.details).toEqual([{ index: 1, path, message: REPEATED }]);
    });
  });

  it('refuses them in NDJSON lines, with whitespace around the names', async () => {
    const lines = `${JSON.stringify(decisionEvent())}\n\n${decisionWith('"labels" : {"a":"1",\t"a" :"2"}')}\n`;
    const error = expectApiError(
      await postBody(server.url, lines, 'application/x-ndjson'),
      400,
      'invalid_event',
    );
    expect(error.details).toEqual([{ index: 1, path: 'labels.a', message: REPEATED }]);
  });

  it('refuses a repeated events member of the body with invalid_json', async () => {
    const body = `{"events":[],"events":[${JSON.stringify(decisionEvent())}]}`;
    const error = expectApiError(
      await postBody(server.url, body, 'application/json'),
      400,
      'invalid_json',
    );
    expect(error.details).toEqual([{ path: 'events', message: REPEATED }]);
  });

  it('refuses them in every JSON body, not only events', async () => {
    const answer = await request(server.url, '/v1/policies/masking', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"rules":[{"path":"labels.team","action":"drop"}],"rules":[]}',
    });
    const error = expectApiError(answer, 400, 'invalid_json');
    expect(error.details).toEqual([{ path: 'rules', message: REPEATED }]);
  });

  it('accepts the same name in different objects', async () => {
    const extra = '"labels":{"a":"1"},"cohort":{"a":"1"},"prediction":{"value":[{"a":1},{"a":1}]}';
    const answer = await postBody(
      server.url,
      `{"events":[${decisionWith(extra)}]}`,
      'application/json',
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it('refuses such lines in declog ingest, on the database and through the server', async () => {
    const good = decisionEvent();
    const file = tmp.file('repeats.ndjson');
    writeFileSync(file, `${decisionWith('"labels":{"a":"1","a":"2"}')}\n${JSON.stringify(good)}\n`);
    for (const target of [store.args, ['--url', server.url]]) {
      const result = await runCli(['ingest', file, ...target], { cwd: store.cwd });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`line 1: labels.a: ${REPEATED}\n`);
    }
    const read = await request(server.url, `/v1/decisions/${String(good.id)}`);
    expect((read.body['decision'] as Json)['id']).toBe(good.id);
  });
});
