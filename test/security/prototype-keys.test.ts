import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@declog/core';
import { killChildProcesses } from '../helpers/child-processes.js';
import { expectApiError, postBody, request, type Json } from '../helpers/http-api.js';
import { runCli } from '../helpers/run-cli.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, STORE_KIND, testStore, type TestStore } from '../helpers/test-store.js';

// `__proto__`, `constructor` and `prototype` are legitimate JSON member names. They were
// dropped from labels, features, cohort and action details (a 200 all the same): they are
// data, stored, hashed and served like any other name, and never reach a prototype.

const tmp = useTempDir('prototype-keys');
afterAll(killChildProcesses);

let store: TestStore;
let server: ServerProcess;

beforeAll(async () => {
  store = await testStore(tmp, 'proto');
  server = await startServerOn(store);
});
afterAll(() => server.stop());

const AT = '2026-03-01T12:00:00Z';
/** The three names, each as its own member: JSON.stringify cannot write `__proto__` keys. */
const NAMES = '"__proto__":"p","constructor":"c","prototype":"t"';

/** A decision with the names in each of its free-form objects (text: parsed by the server). */
function decisionText(id: string, subject: boolean): string {
  return (
    `{"id":"${id}","type":"decision","occurred_at":"${AT}",` +
    `"model":{"name":"m","version":"1"},` +
    `"prediction":{"value":{${NAMES},"nested":{"__proto__":{"polluted":true}}}},` +
    `"rationale":{"summary":"s"},"labels":{${NAMES}},"cohort":{${NAMES}},` +
    `"input":{"features":{${NAMES}}}${subject ? ',"subject":{"id":"subject-proto"}' : ''}}`
  );
}

const actionText = (id: string, decision: string) =>
  `{"id":"${id}","type":"action","occurred_at":"${AT}","decision_id":"${decision}",` +
  `"action":{"kind":"other","name":"n","actor":{"type":"system","id":"s"},` +
  `"details":{${NAMES},"deep":{"__proto__":{"polluted":true}}}}}`;

/** The names, as JSON.parse reads the sent text: own members. */
const sent = (text: string) => JSON.parse(text) as Json;

describe(`__proto__, constructor and prototype members, on ${STORE_KIND}`, () => {
  const plain = decisionText('proto-plain', false);
  const sealed = decisionText('proto-sealed', true);
  const action = actionText('proto-action', 'proto-plain');

  beforeAll(async () => {
    const body = `{"events":[${plain},${sealed},${action}]}`;
    const answer = await postBody(server.url, body, 'application/json');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it('keeps them in every free-form object, sealed or not, and serves them back', async () => {
    for (const [id, text] of [
      ['proto-plain', plain],
      ['proto-sealed', sealed],
    ] as const) {
      const chain = await request(server.url, `/v1/decisions/${id}`);
      expect(chain.status).toBe(200);
      const decision = chain.body['decision'] as Json;
      const expected = sent(text);
      for (const member of ['labels', 'cohort', 'input', 'prediction']) {
        expect(canonicalJson(decision[member]), `${id} ${member}`).toBe(
          canonicalJson(expected[member]),
        );
      }
    }
    const read = await request(server.url, '/v1/actions/proto-action');
    expect(canonicalJson((read.body['action'] as Json)['action'])).toBe(
      canonicalJson(sent(action)['action']),
    );
  });

  it('indexes a __proto__ label, which a query finds', async () => {
    const page = await request(server.url, '/v1/decisions?label.__proto__=p');
    expect(page.status).toBe(200);
    const ids = (page.body['items'] as Json[]).map((item) => item['id']).sort();
    expect(ids).toEqual(['proto-plain', 'proto-sealed']);
  });

  it('stores them in the leaf, which verifies', async () => {
    const entry = await request(server.url, '/v1/events/0');
    const leaf = Buffer.from(String(entry.body['leaf']), 'base64').toString('utf8');
    expect(leaf).toContain(`"labels":{${NAMES}}`);
    const verified = await runCli(['verify', ...store.args], { cwd: store.cwd });
    expect(verified.code, verified.stderr).toBe(0);
  });

  it('checks a __proto__ label as any other: it must be a string', async () => {
    const bad = decisionText('proto-bad', false).replace(
      '"labels":{"__proto__":"p"',
      '"labels":{"__proto__":{"admin":true}',
    );
    const error = expectApiError(
      await postBody(server.url, `{"events":[${bad}]}`, 'application/json'),
      400,
      'invalid_event',
    );
    expect(error.details).toEqual([
      { index: 0, path: 'labels.__proto__', message: 'expected string, received object' },
    ]);
  });
});
