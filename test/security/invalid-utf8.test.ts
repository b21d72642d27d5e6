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

// Bodies are UTF-8. Bytes that are not, and bodies declared in another charset, are refused:
// decoding them anyway would store U+FFFD (or other text) in place of what the client sent.

const tmp = useTempDir('invalid-utf8');
afterAll(killChildProcesses);

let store: TestStore;
let server: ServerProcess;

beforeAll(async () => {
  store = await testStore(tmp, 'utf8');
  server = await startServerOn(store);
});
afterAll(() => server.stop());

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** `text` as UTF-8 with `bad` put in place of the first `@`: the offset of the bad bytes. */
function withBytes(text: string, bad: readonly number[]): { body: Buffer; offset: number } {
  const [before, after] = text.split(/@(.*)/s) as [string, string];
  const head = utf8(before);
  return { body: Buffer.concat([head, Buffer.from(bad), utf8(after)]), offset: head.length };
}

const summaryHolding = (marker: string) =>
  JSON.stringify({ events: [decisionEvent({ rationale: { summary: `Café ${marker} owner` } })] });

describe(`bodies that are not UTF-8, on ${STORE_KIND}`, () => {
  it.each([
    ['ISO 8859-1 é', [0xe9]],
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a sequence cut short', [0xe2, 0x82]],
    ['0xFF', [0xff]],
  ])('refuses %s with 400, naming the byte offset, and stores nothing', async (_name, bad) => {
    const { body, offset } = withBytes(summaryHolding('@'), bad);
    await expectNothingStored(server.url, async () => {
      const error = expectApiError(
        await postBody(server.url, body, 'application/json'),
        400,
        'invalid_json',
      );
      expect(error.message).toMatch(new RegExp(`^body is not valid UTF-8: byte ${offset} is 0x`));
      expect(error.details).toEqual([{ path: '', message: `byte ${offset} is not valid UTF-8` }]);
    });
  });

  it('names the line of an NDJSON body', async () => {
    const lines = `${JSON.stringify(decisionEvent())}\n${summaryHolding('@')}\n`;
    const { body, offset } = withBytes(lines, [0xe9]);
    const error = expectApiError(
      await postBody(server.url, body, 'application/x-ndjson'),
      400,
      'invalid_json',
    );
    expect(error.details).toEqual([
      { path: '', message: `byte ${offset} (line 2) is not valid UTF-8` },
    ]);
  });

  it('refuses them in every JSON body, not only events', async () => {
    const { body } = withBytes('{"rules":[],"text":{"fields":["@"]}}', [0xe9]);
    const answer = await request(server.url, '/v1/policies/masking', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expectApiError(answer, 400, 'invalid_json');
  });

  it('stores UTF-8 exactly as sent, characters of every length', async () => {
    const summary = 'Zoë paid 5 € for ☕ and 🥐, naïvely';
    const event = decisionEvent({ rationale: { summary } });
    const stored = await postBody(
      server.url,
      utf8(JSON.stringify({ events: [event] })),
      'application/json',
    );
    expect(stored.status).toBe(200);
    const read = await request(server.url, `/v1/decisions/${String(event.id)}`);
    expect(((read.body['decision'] as Json)['rationale'] as Json)['summary']).toBe(summary);
  });
});

describe(`charsets, on ${STORE_KIND}`, () => {
  it.each([
    'application/json; charset=iso-8859-1',
    'application/json;charset=latin1',
    'application/json; charset="windows-1252"',
    'application/x-ndjson; charset=utf-16',
    'application/json; charset=utf8',
  ])('refuses %s with 415 unsupported_media_type', async (type) => {
    const body = type.includes('ndjson') ? JSON.stringify(decisionEvent()) : summaryHolding('x');
    await expectNothingStored(server.url, async () => {
      const error = expectApiError(
        await postBody(server.url, body, type),
        415,
        'unsupported_media_type',
      );
      expect(error.message).toMatch(/^charset ".+" is not supported: send UTF-8/);
    });
  });

  it.each([
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json; Charset="Utf-8"',
    'application/json',
  ])('accepts %s', async (type) => {
    expect((await postBody(server.url, summaryHolding('x'), type)).status).toBe(200);
  });
});

describe(`declog ingest of a file that is not UTF-8, on ${STORE_KIND}`, () => {
  it('refuses each such line, naming its byte offset, and stores the others', async () => {
    const good = decisionEvent({ rationale: { summary: 'Zoë, 5 €' } });
    const { body, offset } = withBytes(
      `${JSON.stringify(good)}\r\n${summaryHolding('@')}\n`,
      [0xe9],
    );
    const lineOffset = offset - utf8(`${JSON.stringify(good)}\r\n`).length;
    const file = tmp.file('latin1.ndjson');
    writeFileSync(file, body);
    const refusal = `line 2: (event): the line is not valid UTF-8: byte ${lineOffset} is 0xE9`;
    for (const target of [store.args, ['--url', server.url]]) {
      const result = await runCli(['ingest', file, ...target], { cwd: store.cwd });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(refusal);
      expect(result.stdout).toMatch(/\(1 created|\(0 created, 1 duplicate/);
    }
    const read = await request(server.url, `/v1/decisions/${String(good.id)}`);
    expect(((read.body['decision'] as Json)['rationale'] as Json)['summary']).toBe('Zoë, 5 €');
  });
});
