import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonText, type IdentifiedEvent } from '@declog/core';
import { appendUnchecked } from '../helpers/append-unchecked.js';
import { killChildProcesses } from '../helpers/child-processes.js';
import { actionEvent, annotationEvent, decisionEvent, idOf } from '../helpers/event-factory.js';
import {
  expectApiError,
  postBody,
  postEvents,
  request,
  type ApiResponse,
  type Json,
} from '../helpers/http-api.js';
import { storedSetting } from '../helpers/ledger-store.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { runCliOnTty } from '../helpers/run-cli-on-tty.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, STORE_KIND, testStore, type TestStore } from '../helpers/test-store.js';

// An event may nest at most 32 levels of objects and arrays, refused alike on every way in.
// Before that limit only the 64 KiB size bounded nesting, so events ~30,000 levels deep may
// be stored already: every reader must still serve them and every verifier still prove them.

const tmp = useTempDir('deep-nesting');
afterAll(killChildProcesses);

const DEEP = 'nests deeper than 32 levels of objects and arrays (the event itself is level 1)';

/** `levels` levels of arrays around `{"bottom":true}` (its last level), as JSON text. */
function nestedText(levels: number): string {
  return `${'['.repeat(levels - 1)}{"bottom":true}${']'.repeat(levels - 1)}`;
}

/** A decision whose `prediction.value` (level 3 of the event) is `levels` levels deep. */
function decisionNesting(levels: number, id?: string): IdentifiedEvent {
  const event = decisionEvent({ ...(id === undefined ? {} : { id }) });
  return { ...event, prediction: { value: JSON.parse(nestedText(levels)) } } as IdentifiedEvent;
}

/** The path of the first level too deep in a value nested as nestedText, at `base`. */
const tooDeepAt = (base: string, baseLevel: number) => `${base}${'[0]'.repeat(32 - baseLevel + 1)}`;

/** The start of an answer, for a failure message (JSON.stringify fails on deep values). */
const said = (body: unknown): string => jsonText(body).slice(0, 300);

const ok = (result: CliResult): string => {
  expect(result.code, `${result.stderr}\n${result.stdout.slice(0, 500)}`).toBe(0);
  return result.stdout;
};

describe(`the nesting limit, on ${STORE_KIND}`, () => {
  let store: TestStore;
  let server: ServerProcess;
  let reviewerKey = '';

  beforeAll(async () => {
    store = await testStore(tmp, 'limit');
    server = await startServerOn(store);
    const created = await request(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'reviewer', name: 'rev-deep' }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    reviewerKey = String(created.body['key']);
  });
  afterAll(() => server.stop());

  it('accepts 32 levels and refuses 33 with the event index and the path, JSON and NDJSON', async () => {
    // prediction.value is level 3, so 30 levels of it reach level 32.
    const deepest = decisionNesting(30);
    expect((await postEvents(server.url, [deepest])).status).toBe(200);

    const good = decisionEvent();
    const tooDeep = decisionNesting(31);
    const expected = [{ index: 1, path: tooDeepAt('prediction.value', 3), message: DEEP }];
    const json = expectApiError(
      await postEvents(server.url, [good, tooDeep]),
      400,
      'invalid_event',
    );
    expect(json.details).toEqual(expected);
    const lines = `${JSON.stringify(good)}\n${JSON.stringify(tooDeep)}\n`;
    const ndjson = expectApiError(
      await postBody(server.url, lines, 'application/x-ndjson'),
      400,
      'invalid_event',
    );
    expect(ndjson.details).toEqual(expected);
    // The details of an action are free-form too: `details` is level 3, its members level 4.
    const action = actionEvent(idOf(good), {
      action: {
        kind: 'other',
        name: 'n',
        actor: { type: 'system', id: 's' },
        details: { trace: JSON.parse(nestedText(30)) },
      },
    });
    const answer = expectApiError(await postEvents(server.url, [action]), 400, 'invalid_event');
    expect(answer.details).toEqual([
      { index: 0, path: tooDeepAt('action.details.trace', 4), message: DEEP },
    ]);
  });

  it('refuses the same event alike for every role that may post it', async () => {
    // An annotation holds no free-form member: nesting there is refused as a wrong type, and
    // as too deep when it is.
    const note = annotationEvent('dec-x', {
      annotation: { text: 'deep', tags: [JSON.parse(nestedText(40))] },
    });
    const answers: unknown[] = [];
    for (const key of [process.env['DECLOG_ADMIN_KEY'] ?? '', reviewerKey]) {
      const answer = await request(server.url, '/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [note] }),
      });
      answers.push(expectApiError(answer, 400, 'invalid_event').details);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toContainEqual({
      index: 0,
      path: tooDeepAt('annotation.tags[0]', 4),
      message: DEEP,
    });
  });

  it('refuses the same way through declog ingest, on the database and through a server', async () => {
    const file = tmp.file('deep.ndjson');
    const good = decisionEvent();
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(decisionNesting(31))}\n`);
    const line = `line 2: ${tooDeepAt('prediction.value', 3)}: ${DEEP}\n`;
    const local = await runCli(['ingest', file, ...store.args], { cwd: store.cwd });
    expect(local.code).toBe(1);
    expect(local.stderr).toBe(line);
    const remote = await runCli(['ingest', file, '--url', server.url], { cwd: store.cwd });
    expect(remote.code).toBe(1);
    expect(remote.stderr).toBe(line);
  });
});

describe(`events stored ~30,000 levels deep by an older version, on ${STORE_KIND}`, () => {
  // Within the old 64 KiB limit: two bytes a level.
  const LEVELS = 30_000;
  const deepText = nestedText(LEVELS);
  const plain = decisionNesting(LEVELS, 'deep-plain');
  const personal = {
    ...decisionNesting(LEVELS, 'deep-personal'),
    subject: { id: 'subject-deep' },
    input: { features: { income: 51_000, employer: 'Deepwater Ltd' } },
    cohort: { region: 'EU' },
  } as IdentifiedEvent;
  const actions = [plain, personal].map(
    (decision) =>
      ({
        ...actionEvent(decision.id, { id: `${decision.id}-action` }),
        action: {
          kind: 'other',
          name: 'trace',
          actor: { type: 'system', id: 'svc' },
          details: { trace: JSON.parse(deepText) },
        },
      }) as IdentifiedEvent,
  );

  let store: TestStore;
  let server: ServerProcess;
  let verifierKey = '';

  beforeAll(async () => {
    store = await testStore(tmp, 'old');
    // The first start makes the database, its signing key and its master key.
    await (await startServerOn(store)).stop();
    await appendUnchecked(store, [plain, personal, ...actions]);
    server = await startServerOn(store);
    verifierKey = await storedSetting(store, 'verifier_key');
  }, 120_000);
  afterAll(() => server.stop());

  /** The deep value of a decision or action as served, compared as text. */
  const deepOf = (event: Json): string => {
    const value =
      (event['prediction'] as Json | undefined)?.['value'] ??
      ((event['action'] as Json)['details'] as Json)['trace'];
    return jsonText(value);
  };

  it('serves each decision chain, with and without proofs, the sealed values opened', async () => {
    for (const decision of [plain, personal]) {
      for (const query of ['', '?proof=true']) {
        const answer = await request(server.url, `/v1/decisions/${decision.id}${query}`);
        expect(answer.status, said(answer.body)).toBe(200);
        const served = answer.body['decision'] as Json;
        expect(deepOf(served)).toBe(deepText);
        expect(((answer.body['actions'] as Json[])[0] as Json)['id']).toBe(`${decision.id}-action`);
        expect(deepOf((answer.body['actions'] as Json[])[0] as Json)).toBe(deepText);
      }
    }
    const opened = await request(server.url, `/v1/decisions/${personal.id}`);
    const decision = opened.body['decision'] as Json;
    expect(decision['input']).toEqual({ features: { income: 51_000, employer: 'Deepwater Ltd' } });
    expect(decision['personal']).toMatchObject({ sealed: true });
  });

  it('serves every page of decisions, of entries, and each entry and action', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse<Json> = await request(
        server.url,
        `/v1/decisions?limit=1${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(page.status, said(page.body)).toBe(200);
      for (const item of page.body['items'] as Json[]) {
        expect(deepOf(item)).toBe(deepText);
        seen.push(String(item['id']));
      }
      cursor = page.body['next_cursor'] as string | null;
    } while (cursor !== null);
    expect(seen.sort()).toEqual([plain.id, personal.id].sort());
    expect((await request(server.url, '/v1/decisions')).status).toBe(200);

    const entries = await request(server.url, '/v1/events?from=0&limit=10');
    expect(entries.status).toBe(200);
    expect((entries.body['items'] as Json[]).map((item) => deepOf(item['event'] as Json))).toEqual(
      Array(4).fill(deepText),
    );
    for (const seq of [0, 1, 2, 3]) {
      expect((await request(server.url, `/v1/events/${seq}`)).status).toBe(200);
    }
    const action = await request(server.url, `/v1/actions/${personal.id}-action`);
    expect(action.status).toBe(200);
  });

  it('verifies the log from the database and through the server', async () => {
    expect(ok(await runCli(['verify', ...store.args], { cwd: store.cwd }))).toMatch(/^ok /);
    const state = tmp.file(`verify-url-${STORE_KIND}.json`);
    const remote = await runCli(['verify', '--url', server.url, '--state', state]);
    expect(ok(remote)).toMatch(/^ok /);
  });

  it('bundles each decision from the database and from the server, and the bundles verify', async () => {
    for (const decision of [plain, personal]) {
      for (const target of [store.args, ['--url', server.url]]) {
        const bundle = ok(await runCli(['bundle', decision.id, ...target], { cwd: store.cwd }));
        const file = tmp.file(`bundle-${decision.id}-${target[0]}.json`);
        writeFileSync(file, bundle);
        const checked = await runCli(['verify', '--bundle', file, '--verifier-key', verifierKey]);
        expect(ok(checked)).toMatch(new RegExp(`^ok decision ${decision.id}: 2 events proven`));
      }
    }
  });

  it('shows each decision with declog get and declog query, on the database and through the server', async () => {
    for (const target of [store.args, ['--url', server.url]]) {
      for (const decision of [plain, personal]) {
        const json = JSON.parse(
          ok(await runCli(['get', decision.id, '--json', ...target], { cwd: store.cwd })),
        ) as { decision: Json };
        expect(deepOf(json.decision)).toBe(deepText);
        // On a terminal, get shows the chain for a person.
        const shown = await runCliOnTty(['get', decision.id, ...target], store.cwd);
        expect(ok(shown)).toContain(`decision ${decision.id}`);
      }
      const table = ok(await runCli(['query', ...target], { cwd: store.cwd }));
      expect(table).toContain(plain.id);
    }
  });

  it('serves the decision of an erased subject, and the log still verifies', async () => {
    const erased = await request(server.url, `/v1/subjects/subject-deep`, { method: 'DELETE' });
    expect(erased.status, said(erased.body)).toBe(200);
    const answer = await request(server.url, `/v1/decisions/${personal.id}`);
    expect(answer.status, said(answer.body)).toBe(200);
    const decision = answer.body['decision'] as Json;
    expect(deepOf(decision)).toBe(deepText);
    expect(decision['personal']).toMatchObject({ erased: true });
    expect(ok(await runCli(['verify', ...store.args], { cwd: store.cwd }))).toMatch(/^ok /);
  });

  it('copies a log of such events to another store, where it verifies', async () => {
    // Copying does not take sealed entries yet: this log holds none.
    const source = await testStore(tmp, 'old-plain');
    await (await startServerOn(source)).stop();
    await appendUnchecked(source, [plain, actions[0] as IdentifiedEvent]);
    const target = await testStore(tmp, 'old-copy');
    const copied = await runCli(['copy', '--from', source.location, '--to', target.location], {
      cwd: source.cwd,
    });
    ok(copied);
    expect(ok(await runCli(['verify', ...target.args], { cwd: target.cwd }))).toMatch(/^ok /);
  });
});
