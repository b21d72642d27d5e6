import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from '../helpers/child-processes.js';
import { annotationEvent, decisionEvent } from '../helpers/event-factory.js';
import { expectApiError, ingestOk, request, type Json } from '../helpers/http-api.js';
import { runCli } from '../helpers/run-cli.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, testStore, type TestStore } from '../helpers/test-store.js';

// An annotation's author was only checked for reviewer keys, and key names were not unique:
// a producer or an admin could post `"author": "rev1"`, and a second key could be named
// "rev1". Every annotation now records the key that posted it in its leaf, a live name names
// one key per tenant, and another author is refused for every role unless the tenant lets
// its producer keys relay authors (then the annotation is marked relayed).

const tmp = useTempDir('annotation-authors');
afterAll(killChildProcesses);

interface CreatedKey {
  readonly id: string;
  readonly key: string;
}

interface StoredAnnotation {
  readonly id: string;
  readonly annotation: { readonly author?: string; readonly text: string };
  readonly posted_by?: { readonly key_id: string; readonly relayed?: true };
}

describe('annotation authors', () => {
  let store: TestStore;
  let server: ServerProcess;
  let producer: CreatedKey;
  let reviewer: CreatedKey;
  let admin: CreatedKey;

  const as = (key: CreatedKey, path: string, init: { method?: string; body?: unknown } = {}) =>
    request(server.url, path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${key.key}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const makeKey = (body: Record<string, string>) =>
    request<CreatedKey & Json>(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const annotations = async (decisionId: string) => {
    const chain = await request<{ annotations: StoredAnnotation[] }>(
      server.url,
      `/v1/decisions/${decisionId}`,
    );
    expect(chain.status, JSON.stringify(chain.body)).toBe(200);
    return chain.body.annotations;
  };

  beforeAll(async () => {
    store = await testStore(tmp, 'authors');
    server = await startServerOn(store);
    const made = async (body: Record<string, string>) => {
      const answer = await makeKey(body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    };
    producer = await made({ role: 'producer', tenant: 'default', name: 'svc' });
    reviewer = await made({ role: 'reviewer', tenant: 'default', name: 'rev1' });
    admin = await made({ role: 'admin', tenant: 'default', name: 'boss' });
    await ingestOk(server.url, [decisionEvent({ id: 'loan-1' })]);
  });

  it('refuses an author other than the posting key for a producer and an admin', async () => {
    for (const key of [producer, admin]) {
      const spoofed = await as(key, '/v1/events', {
        method: 'POST',
        body: {
          events: [annotationEvent('loan-1', { annotation: { text: 'fine', author: 'rev1' } })],
        },
      });
      const error = expectApiError(spoofed, 403, 'forbidden');
      expect(error.details).toEqual([
        expect.objectContaining({ index: 0, path: 'annotation.author' }),
      ]);
    }
    expect((await annotations('loan-1')).map((a) => a.annotation.author)).toEqual([]);
  });

  it("records the posting key's id in every annotation's leaf, and verify checks it", async () => {
    const own = annotationEvent('loan-1', { annotation: { text: 'mine', author: 'svc' } });
    const anonymous = annotationEvent('loan-1', { text: 'no author' });
    const byReviewer = annotationEvent('loan-1', { text: 'reviewed' });
    expect(
      (await as(producer, '/v1/events', { method: 'POST', body: { events: [own, anonymous] } }))
        .status,
    ).toBe(200);
    expect(
      (await as(reviewer, '/v1/events', { method: 'POST', body: { events: [byReviewer] } })).status,
    ).toBe(200);
    const stored = await annotations('loan-1');
    const byId = (id: string | undefined) => stored.find((a) => a.id === id);
    expect(byId(own.id)?.posted_by).toEqual({ key_id: producer.id });
    expect(byId(anonymous.id)?.posted_by).toEqual({ key_id: producer.id });
    expect(byId(byReviewer.id)).toMatchObject({
      annotation: { author: 'rev1' },
      posted_by: { key_id: reviewer.id },
    });
    // The leaf itself holds it: what the log's entries serve, under the Merkle root.
    const entries = await request(server.url, '/v1/events?from=0&limit=10');
    expect(JSON.stringify(entries.body)).toContain(`"posted_by":{"key_id":"${producer.id}"}`);
    // A resend by the same key is still a duplicate.
    const again = await as(producer, '/v1/events', { method: 'POST', body: { events: [own] } });
    expect(again.body).toMatchObject({ results: [{ id: own.id, status: 'duplicate' }] });
    const verify = await runCli(['verify', ...store.args], { cwd: store.cwd });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('refuses a posted_by sent by a producer: only the server sets it', async () => {
    const forged = {
      ...annotationEvent('loan-1', { text: 'forged' }),
      posted_by: { key_id: reviewer.id },
    };
    const answer = await as(producer, '/v1/events', {
      method: 'POST',
      body: { events: [forged] },
    });
    expectApiError(answer, 400, 'invalid_event');
  });

  it('keeps a live key name to one key per tenant, and frees it when the key is revoked', async () => {
    const twin = await makeKey({ role: 'producer', tenant: 'default', name: 'rev1' });
    expect(expectApiError(twin, 409, 'key_name_taken').details).toEqual([
      { path: 'name', message: 'is the name of another live key' },
    ]);
    // A key of all tenants acts in every tenant: its name may not be one any tenant uses.
    expectApiError(
      await makeKey({ role: 'admin', tenant: '*', name: 'rev1' }),
      409,
      'key_name_taken',
    );
    // Another tenant is another set of principals.
    expect((await makeKey({ role: 'producer', tenant: 'other', name: 'rev1' })).status).toBe(201);
    const temporary = await makeKey({ role: 'producer', tenant: 'default', name: 'temp' });
    expect(temporary.status).toBe(201);
    const revoked = await request(server.url, `/v1/keys/${temporary.body.id}`, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(200);
    expect((await makeKey({ role: 'producer', tenant: 'default', name: 'temp' })).status).toBe(201);
    const cli = await runCli(
      [
        'keys',
        'create',
        '--role',
        'auditor',
        '--name',
        'svc',
        '--tenant',
        'default',
        ...store.args,
      ],
      { cwd: store.cwd },
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('key_name_taken');
  });

  it("relays other authors for producer keys only when the tenant's policy says so", async () => {
    const relayedNote = annotationEvent('loan-1', {
      annotation: { text: 'from the review tool', author: 'alice' },
    });
    const post = (key: CreatedKey) =>
      as(key, '/v1/events', { method: 'POST', body: { events: [relayedNote] } });
    expectApiError(await post(producer), 403, 'forbidden');

    const set = await request(server.url, '/v1/policies/annotations', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ relay_authors: true }),
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ policy: { relay_authors: true } });
    const bad = await request(server.url, '/v1/policies/annotations', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ relay_authors: 'yes', extra: 1 }),
    });
    expect(
      expectApiError(bad, 400, 'invalid_body')
        .details.map((d) => d.path)
        .sort(),
    ).toEqual(['', 'relay_authors']);
    // Producers only: a reviewer and an admin still post in their own name.
    expectApiError(await post(reviewer), 403, 'forbidden');
    expectApiError(await post(admin), 403, 'forbidden');
    expect((await post(producer)).status).toBe(200);
    const stored = (await annotations('loan-1')).find((a) => a.id === relayedNote.id);
    expect(stored).toMatchObject({
      annotation: { author: 'alice' },
      posted_by: { key_id: producer.id, relayed: true },
    });

    const removed = await request(server.url, '/v1/policies/annotations', { method: 'DELETE' });
    expect(removed.body).toEqual({ removed: true });
    const later = annotationEvent('loan-1', { annotation: { text: 'again', author: 'alice' } });
    expectApiError(
      await as(producer, '/v1/events', { method: 'POST', body: { events: [later] } }),
      403,
      'forbidden',
    );
  });

  it('records the operator of a database file as key local, relayed when naming an author', async () => {
    const note = annotationEvent('loan-1', { annotation: { text: 'by hand', author: 'carol' } });
    const ingest = await runCli(['ingest', '-', ...store.args], {
      cwd: store.cwd,
      input: JSON.stringify(note) + '\n',
    });
    expect(ingest.code, ingest.stderr).toBe(0);
    const stored = (await annotations('loan-1')).find((a) => a.id === note.id);
    expect(stored?.posted_by).toEqual({ key_id: 'local', relayed: true });
  });

  it("records a reviewer's verdict as an action by the reviewer itself, and refuses any other action", async () => {
    const post = (action: Record<string, unknown>) =>
      as(reviewer, '/v1/events', {
        method: 'POST',
        body: {
          events: [
            { type: 'action', decision_id: 'loan-1', occurred_at: '2026-03-02T10:00:00Z', action },
          ],
        },
      });
    // An override with no actor is the reviewer's, a human; an uphold names it itself.
    expect((await post({ kind: 'override', name: 'override' })).status).toBe(200);
    const uphold = { kind: 'other', name: 'uphold', actor: { type: 'human', id: 'rev1' } };
    expect((await post(uphold)).status).toBe(200);
    const chain = await request<{ actions: { action: Record<string, unknown> }[] }>(
      server.url,
      '/v1/decisions/loan-1',
    );
    expect(chain.body.actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        { kind: 'override', name: 'override', actor: { type: 'human', id: 'rev1' } },
        uphold,
      ]),
    );

    const automated = await post({ kind: 'automated', name: 'approve' });
    expect(expectApiError(automated, 403, 'forbidden').details).toEqual([
      expect.objectContaining({ index: 0, path: 'action.kind' }),
    ]);
    for (const actor of [
      { type: 'human', id: 'someone-else' },
      { type: 'system', id: 'rev1' },
    ]) {
      const spoofed = await post({ kind: 'override', name: 'override', actor });
      expect(expectApiError(spoofed, 403, 'forbidden').details).toEqual([
        expect.objectContaining({ index: 0, path: 'action.actor' }),
      ]);
    }
  });
});
