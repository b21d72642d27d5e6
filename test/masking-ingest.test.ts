import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationEvent, decisionEvent } from './helpers/event-factory.js';
import { expectApiError, request, type ApiResponse, type Json } from './helpers/http-api.js';
import { withStoreSql } from './helpers/ledger-store.js';
import type { ServerProcess } from './helpers/server-process.js';
import { STORE_KIND, startServerOn, testStore, type TestStore } from './helpers/test-store.js';
import { useTempDir } from './helpers/temp-dir.js';

const tmp = useTempDir('declog-masking-');

// Values that masking must keep out of storage altogether.
const EMAIL = 'jane.doe.masking@example.com';
const ACTOR = 'clerk-jane-4711';
const CARD = '4111 1111 1111 1111';

const POLICY = {
  rules: [
    { path: 'input.features.email', action: 'pseudonymize' },
    { path: 'context.actor', action: 'drop' },
    { path: 'input.features.birth_date', action: 'generalize', to: 'month' },
  ],
  text: {
    fields: ['rationale.summary', 'annotation.text'],
    detect: ['email', 'card'],
    action: 'mask',
  },
};

let store: TestStore;
let server: ServerProcess;
const keys: Record<string, string> = {};

function call(
  key: string,
  path: string,
  init: { method?: string; body?: unknown; tenant?: string } = {},
) {
  return request(server.url, path, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.tenant !== undefined ? { 'x-declog-tenant': init.tenant } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

async function makeKey(role: string, tenant: string): Promise<string> {
  const made = await request(server.url, '/v1/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, tenant, name: `${role}@${tenant}` }),
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body['key'] as string;
}

/** No subject: sealing (see erasure.test.ts) would hide the masked values from the grep. */
function personal(id: string) {
  const { subject: _subject, ...event } = decisionEvent({
    id,
    input: {
      ref: 's3://bucket/app/1',
      features: { email: EMAIL, birth_date: '1990-05-17', score: 7 },
    },
    context: { actor: ACTOR, channel: 'web' },
    rationale: { summary: `Applicant ${EMAIL} paid with card ${CARD} on time` },
  });
  return event;
}

const post = (key: string, events: unknown[]): Promise<ApiResponse<Json>> =>
  call(key, '/v1/events', { method: 'POST', body: { events } });

beforeAll(async () => {
  store = await testStore(tmp, 'masking');
  server = await startServerOn(store);
  for (const tenant of ['acme', 'beta']) {
    keys[`${tenant}:admin`] = await makeKey('admin', tenant);
    keys[`${tenant}:producer`] = await makeKey('producer', tenant);
    keys[`${tenant}:auditor`] = await makeKey('auditor', tenant);
    keys[`${tenant}:reviewer`] = await makeKey('reviewer', tenant);
    const set = await call(keys[`${tenant}:admin`] ?? '', '/v1/policies/masking', {
      method: 'PUT',
      body: POLICY,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  }
});
afterAll(() => server?.stop());

describe('masking at ingest', () => {
  it('masks before storing: pseudonym, drop, generalisation and free text, each marked', async () => {
    expect((await post(keys['acme:producer'] ?? '', [personal('m-1')])).status).toBe(200);
    const read = await call(keys['acme:auditor'] ?? '', '/v1/decisions/m-1');
    const decision = read.body['decision'] as Json & {
      input: { features: Record<string, unknown> };
      context: Record<string, unknown>;
      rationale: { summary: string };
    };
    expect(decision.input.features['email']).toMatch(/^hmac:[A-Za-z0-9_-]+$/);
    expect(decision.input.features['birth_date']).toBe('1990-05');
    expect(decision.input.features['score']).toBe(7);
    expect(decision.context).toEqual({ channel: 'web' });
    expect(decision.rationale.summary).toBe('Applicant [email] paid with card [card] on time');
    expect(decision['erased']).toEqual(['/context/actor']);
    expect(decision['masked']).toEqual([
      '/input/features/birth_date',
      '/input/features/email',
      '/rationale/summary',
    ]);
  });

  it('keeps pseudonyms joinable within a tenant, apart across tenants, and resends duplicates', async () => {
    expect((await post(keys['acme:producer'] ?? '', [personal('m-2')])).status).toBe(200);
    expect((await post(keys['beta:producer'] ?? '', [personal('m-2')])).status).toBe(200);
    const again = await post(keys['acme:producer'] ?? '', [personal('m-2')]);
    expect((again.body['results'] as Json[])[0]?.['status']).toBe('duplicate');
    const email = async (tenant: string, id: string) =>
      (
        (await call(keys[`${tenant}:auditor`] ?? '', `/v1/decisions/${id}`)).body['decision'] as {
          input: { features: Record<string, unknown> };
        }
      ).input.features['email'];
    expect(await email('acme', 'm-2')).toBe(await email('acme', 'm-1'));
    expect(await email('beta', 'm-2')).not.toBe(await email('acme', 'm-2'));
  });

  it("masks a reviewer's annotation text too", async () => {
    const note = annotationEvent('m-1', { annotation: { text: `Called ${EMAIL} back` } });
    expect((await post(keys['acme:reviewer'] ?? '', [note])).status).toBe(200);
    const chain = await call(keys['acme:auditor'] ?? '', '/v1/decisions/m-1');
    const stored = (chain.body['annotations'] as { annotation: { text: string } }[]).at(-1);
    expect(stored?.annotation.text).toBe('Called [email] back');
  });

  it('leaves the raw values nowhere in the database', async () => {
    // Everything above has been stored; the values may only have passed through memory.
    const texts: string[] = [];
    if (STORE_KIND === 'sqlite') {
      const file = store.location.slice('sqlite:'.length);
      for (const path of [file, `${file}-wal`]) {
        if (existsSync(path)) texts.push(readFileSync(path).toString('latin1'));
      }
    } else {
      await withStoreSql(store, async (sql) => {
        const rows = await sql.rows<{ text: string }>(
          `SELECT body AS text FROM events UNION ALL SELECT array_to_string(terms, ' ') FROM decisions
           UNION ALL SELECT value FROM settings UNION ALL SELECT value FROM tenant_settings`,
        );
        texts.push(...rows.map((r) => r.text));
      });
    }
    const everything = texts.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    for (const raw of [EMAIL, ACTOR, CARD, 'jane.doe.masking', '1990-05-17']) {
      expect(everything.includes(raw), raw).toBe(false);
    }
    expect(everything).toContain('hmac:');
  });
});

describe('masking policies', () => {
  it('names every bad field of a bad policy and keeps the old one', async () => {
    const bad = await call(keys['acme:admin'] ?? '', '/v1/policies/masking', {
      method: 'PUT',
      body: {
        rules: [
          { path: 'id', action: 'drop' },
          { path: 'context.actor', action: 'shred' },
        ],
      },
    });
    const error = expectApiError(bad, 400, 'invalid_body');
    expect(error.details.length).toBeGreaterThanOrEqual(2);
    const current = await call(keys['acme:auditor'] ?? '', '/v1/policies/masking');
    expect(current.body['policy']).toEqual(POLICY);
    expect(current.body['updated_by']).toBe('admin@acme');
  });

  it('lets auditors read and only admins change policies; records changes in the trail', async () => {
    expectApiError(
      await call(keys['acme:producer'] ?? '', '/v1/policies/masking'),
      403,
      'forbidden',
    );
    expectApiError(
      await call(keys['acme:auditor'] ?? '', '/v1/policies/masking', {
        method: 'PUT',
        body: POLICY,
      }),
      403,
      'forbidden',
    );
    const trail = await call(
      keys['acme:auditor'] ?? '',
      '/v1/access-log?action=policies.masking.set',
    );
    expect(trail.body['items']).toContainEqual(
      expect.objectContaining({
        actor: expect.objectContaining({ name: 'admin@acme' }),
        details: { policy_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      }),
    );
  });

  it('stores events as sent once the policy is removed', async () => {
    const removed = await call(keys['beta:admin'] ?? '', '/v1/policies/masking', {
      method: 'DELETE',
    });
    expect(removed.body).toEqual({ removed: true });
    const plain = decisionEvent({ id: 'm-plain', context: { actor: 'visible-actor' } });
    expect((await post(keys['beta:producer'] ?? '', [plain])).status).toBe(200);
    const read = await call(keys['beta:auditor'] ?? '', '/v1/decisions/m-plain');
    expect((read.body['decision'] as { context: Json }).context).toEqual({
      actor: 'visible-actor',
    });
    const none = await call(keys['beta:auditor'] ?? '', '/v1/policies/masking');
    expect(none.body).toEqual({ policy: null, updated_at: null, updated_by: null });
  });
});
