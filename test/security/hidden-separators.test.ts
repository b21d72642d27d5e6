import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from '../helpers/child-processes.js';
import { decisionEvent } from '../helpers/event-factory.js';
import { postEvents, request, type Json } from '../helpers/http-api.js';
import { databaseText } from '../helpers/database-text.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, STORE_KIND, testStore, type TestStore } from '../helpers/test-store.js';

// The sensitive-text detector read a card number spaced with no-break spaces, or an address
// split by zero-width spaces, as harmless text: masking then stored them as sent.

const tmp = useTempDir('hidden-separators');
afterAll(killChildProcesses);

let store: TestStore;
let server: ServerProcess;

beforeAll(async () => {
  store = await testStore(tmp, 'separators');
  server = await startServerOn(store);
  const set = await request(server.url, '/v1/policies/masking', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      rules: [],
      text: { fields: ['rationale.summary'], detect: ['email', 'phone', 'card'], action: 'mask' },
    }),
  });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
});
afterAll(() => server.stop());

describe(`masking free text with hidden separators, on ${STORE_KIND}`, () => {
  it('masks cards, phone numbers and addresses split by spaces and invisible characters', async () => {
    const summary =
      'Card 4111\u00a01111\u202f1111\u20071111, phone +49\u2009151\u200b12345678, ' +
      'mail ann\u200b@exam\u2060ple.com, ref ４１１１－１１１１－１１１１－１１１１.';
    const event = decisionEvent({ rationale: { summary } });
    const stored = await postEvents(server.url, [event]);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    const read = await request(server.url, `/v1/decisions/${String(event.id)}`);
    const decision = read.body['decision'] as Json;
    expect((decision['rationale'] as Json)['summary']).toBe(
      'Card [card], phone [phone], mail [email], ref [card].',
    );
    expect(decision['masked']).toEqual(['/rationale/summary']);
    // A SQLite file is read byte for byte (as Latin-1): look for the UTF-8 bytes there.
    const text = await databaseText(store);
    const asStored = (value: string) =>
      STORE_KIND === 'sqlite' ? Buffer.from(value, 'utf8').toString('latin1') : value;
    for (const hidden of ['4111\u00a01111', '12345678', 'exam\u2060ple', '１１１１']) {
      expect(text.includes(asStored(hidden)), hidden).toBe(false);
    }
    expect(text.includes(asStored('Card [card]'))).toBe(true);
  });
});
