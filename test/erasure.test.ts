import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  leafHashOfText,
  unpackSealedRecord,
  verifyCheckpoint,
  verifyInclusion,
} from '@declog/core';
import { decisionEvent } from './helpers/event-factory.js';
import { expectApiError, request, type ApiResponse, type Json } from './helpers/http-api.js';
import { fromBase64 } from './helpers/ledger-http-client.js';
import { withStoreSql } from './helpers/ledger-store.js';
import type { ServerProcess } from './helpers/server-process.js';
import { startServerOn, testStore, type TestStore } from './helpers/test-store.js';
import { databaseText, storedCiphertext } from './helpers/database-text.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';

const tmp = useTempDir('declog-erasure-');

// Personal values that must never be readable from the database.
const EMPLOYER = 'Zanzibar Widgets 9913';
const COHORT_VALUE = 'cohort-value-77k';

let store: TestStore;
let server: ServerProcess;
const keys: Record<string, string> = {};

function call(key: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return request(server.url, path, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

const personalDecision = (id: string, subject: string) =>
  decisionEvent({
    id,
    subject: { id: subject },
    input: { ref: 's3://applications/1', features: { employer: EMPLOYER, income: 52000 } },
    cohort: { segment: COHORT_VALUE },
  });

const post = (events: unknown[]): Promise<ApiResponse<Json>> =>
  call(keys['producer'] ?? '', '/v1/events', { method: 'POST', body: { events } });

beforeAll(async () => {
  store = await testStore(tmp, 'erasure');
  server = await startServerOn(store);
  for (const role of ['producer', 'reviewer', 'auditor', 'admin']) {
    const made = await request(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, name: `${role}@example` }),
    });
    expect(made.status).toBe(201);
    keys[role] = made.body['key'] as string;
  }
});
afterAll(() => server?.stop());

describe('personal data of a decision with a subject', () => {
  it('is sealed at rest and opened for readers', async () => {
    expect((await post([personalDecision('p-1', 'subject-1')])).status).toBe(200);
    const read = await call(keys['reviewer'] ?? '', '/v1/decisions/p-1');
    const decision = read.body['decision'] as Json & {
      input: { features: Json };
      personal: Json;
    };
    expect(decision.input.features).toEqual({ employer: EMPLOYER, income: 52000 });
    expect(decision['cohort']).toEqual({ segment: COHORT_VALUE });
    expect(decision.personal).toMatchObject({
      fields: ['/cohort', '/input/features'],
      commitment: expect.any(String),
      sealed: true,
    });
    const text = await databaseText(store);
    expect(text).toContain('p-1');
    expect(text.includes(EMPLOYER)).toBe(false);
    expect(text.includes(COHORT_VALUE)).toBe(false);
  });

  it('keeps a key only for subjects of batches stored, and one key per subject', async () => {
    const subjectKeyRows = (subjects: readonly string[]) =>
      withStoreSql(store, (sql) =>
        sql.rows<{ subject: string }>(
          `SELECT subject FROM subject_keys WHERE subject IN (${subjects.map(() => '?').join(', ')}) ORDER BY subject`,
          subjects,
        ),
      );
    const refused = await post([
      personalDecision('k-1', 'subject-k1'),
      { ...personalDecision('k-2', 'subject-k2'), confidence: 7 },
    ]);
    expect(refused.status).toBe(400);
    expect(await subjectKeyRows(['subject-k1', 'subject-k2'])).toEqual([]);
    // Two batches at once naming the same new subject: both sealed under its one key.
    const [first, second] = await Promise.all([
      post([personalDecision('k-3', 'subject-k3')]),
      post([personalDecision('k-4', 'subject-k3'), personalDecision('k-5', 'subject-k5')]),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await subjectKeyRows(['subject-k1', 'subject-k3', 'subject-k5'])).toEqual([
      { subject: 'subject-k3' },
      { subject: 'subject-k5' },
    ]);
    for (const id of ['k-3', 'k-4', 'k-5']) {
      const read = await call(keys['reviewer'] ?? '', `/v1/decisions/${id}`);
      const decision = read.body['decision'] as Json & { input: { features: Json } };
      expect(decision.input.features).toEqual({ employer: EMPLOYER, income: 52000 });
    }
  });

  it('seals a resent event to the same bytes: a duplicate, not a conflict', async () => {
    const again = await post([personalDecision('p-1', 'subject-1')]);
    expect((again.body['results'] as Json[])[0]?.['status']).toBe('duplicate');
  });

  it('keeps the ledger leaf free of the values: the entry commits to them', async () => {
    const entry = await call(keys['auditor'] ?? '', '/v1/events/0');
    const event = entry.body['event'] as Json;
    expect(event['input']).toEqual({ ref: 's3://applications/1' });
    expect(event['cohort']).toBeUndefined();
    expect(event['personal']).toEqual({
      fields: ['/cohort', '/input/features'],
      commitment: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
    });
  });
});

describe('DELETE /v1/subjects/{id}', () => {
  it('is for admins only', async () => {
    for (const role of ['producer', 'reviewer', 'auditor']) {
      expectApiError(
        await call(keys[role] ?? '', '/v1/subjects/subject-1', { method: 'DELETE' }),
        403,
        'forbidden',
      );
    }
  });

  it('destroys the key: values unreadable everywhere, proofs and verify still pass', async () => {
    expect((await post([personalDecision('p-2', 'subject-2')])).status).toBe(200);
    const before = await call(keys['auditor'] ?? '', '/v1/decisions/p-1?proof=true');
    const wrapped = await withStoreSql(store, (sql) =>
      sql.rows<{ wrapped_key: string; sealed: string | Uint8Array }>(
        // SQLite keeps a sealed record in its event's row; PostgreSQL in a table of its own.
        store.location.startsWith('postgres')
          ? `SELECT k.wrapped_key, p.sealed FROM subject_keys k JOIN personal_data p ON p.subject = k.subject
              WHERE k.subject = 'subject-1'`
          : `SELECT k.wrapped_key, e.sealed FROM subject_keys k JOIN events e ON e.subject = k.subject
              WHERE k.subject = 'subject-1'`,
      ),
    );
    const secrets = wrapped.flatMap((row) => [
      JSON.parse(row.wrapped_key).wrapped_key as string,
      storedCiphertext(
        store,
        typeof row.sealed === 'string' ? row.sealed : unpackSealedRecord(row.sealed),
      ),
    ]);
    expect(secrets).toHaveLength(2);
    const textBefore = await databaseText(store);
    for (const secret of secrets) expect(textBefore.includes(secret)).toBe(true);

    const erased = await call(keys['admin'] ?? '', '/v1/subjects/subject-1', { method: 'DELETE' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body).toMatchObject({
      subject: 'subject-1',
      erased_by: 'admin@example',
      key_destroyed: true,
      records_shredded: 1,
    });

    const read = await call(keys['reviewer'] ?? '', '/v1/decisions/p-1');
    const decision = read.body['decision'] as Json & { input: Json; personal: Json };
    expect(decision.input).toEqual({ ref: 's3://applications/1' });
    expect(decision['cohort']).toBeUndefined();
    expect(decision.personal).toMatchObject({
      erased: true,
      erased_by: 'admin@example',
      erased_at: erased.body['erased_at'],
    });
    // Another subject's data is untouched.
    const other = await call(keys['reviewer'] ?? '', '/v1/decisions/p-2');
    expect((other.body['decision'] as { input: { features: Json } }).input.features).toEqual({
      employer: EMPLOYER,
      income: 52000,
    });

    const text = await databaseText(store);
    for (const secret of secrets) expect(text.includes(secret), secret.slice(0, 12)).toBe(false);

    // The proofs served before still verify against the same leaves.
    const after = await call(keys['auditor'] ?? '', '/v1/decisions/p-1?proof=true');
    expect(after.body['decision']).toEqual(before.body['decision']);
    const key = await call(keys['auditor'] ?? '', '/v1/log/key');
    const checkpoint = verifyCheckpoint(after.body['checkpoint'] as string, {
      origin: String(after.body['checkpoint']).split('\n')[0] ?? '',
      verifierKey: String(key.body).trim(),
    });
    if (!checkpoint.ok) expect.fail(checkpoint.reason);
    const [proof] = after.body['proofs'] as { seq: number; hashes: string[] }[];
    const leaf = leafHashOfText(canonicalJson(after.body['decision']));
    expect(
      verifyInclusion(
        leaf,
        proof?.seq ?? -1,
        checkpoint.checkpoint.size,
        (proof?.hashes ?? []).map((h, i) => fromBase64(h, `hash ${i}`)),
        checkpoint.checkpoint.rootHash,
      ),
    ).toEqual({ ok: true });
    await verifyStore(store.location);
  });

  it('erases events of the subject that arrive later, on arrival', async () => {
    expect((await post([personalDecision('p-3', 'subject-1')])).status).toBe(200);
    const read = await call(keys['reviewer'] ?? '', '/v1/decisions/p-3');
    const decision = read.body['decision'] as Json & { personal: Json };
    expect(decision['cohort']).toBeUndefined();
    expect(decision.personal).toMatchObject({ erased: true, erased_by: 'admin@example' });
    expect((await databaseText(store)).includes(COHORT_VALUE)).toBe(false);
  });

  it('answers a resend of an event stored before the erasure as a duplicate, storing nothing', async () => {
    // p-1 was stored (seq 0) before subject-1 was erased: the SDK retrying it must not fail.
    const again = await post([personalDecision('p-1', 'subject-1')]);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body['results']).toEqual([{ id: 'p-1', seq: 0, status: 'duplicate' }]);
    // Other content under its id is still a conflict (content outside the sealed values: those
    // are gone, so nothing can be compared to them).
    const other = personalDecision('p-1', 'subject-1');
    const changed = await post([{ ...other, prediction: { label: 'deny' } }]);
    expectApiError(changed, 409, 'id_conflict');
    expect((await databaseText(store)).includes(COHORT_VALUE)).toBe(false);
  });

  it('is recorded in the access trail and can be repeated', async () => {
    const again = await call(keys['admin'] ?? '', '/v1/subjects/subject-1', { method: 'DELETE' });
    expect(again.body).toMatchObject({ key_destroyed: false, records_shredded: 0 });
    const trail = await call(keys['auditor'] ?? '', '/v1/access-log?action=subjects.erase');
    expect(trail.body['items']).toContainEqual(
      expect.objectContaining({ target: { id: 'subject-1' }, records: 1 }),
    );
  });
});

describe('legal holds', () => {
  const hold = (body: Json, key = keys['admin'] ?? '') =>
    call(key, '/v1/holds', { method: 'POST', body });

  it('stop an erasure while they stand, and say which; release lets it through', async () => {
    expect((await post([personalDecision('h-1', 'subject-h')])).status).toBe(200);
    const onSubject = await hold({
      kind: 'subject',
      target: 'subject-h',
      reason: 'litigation 2026-17',
    });
    expect(onSubject.status, JSON.stringify(onSubject.body)).toBe(201);
    const onModel = await hold({
      kind: 'model',
      target: 'credit-scorer',
      reason: 'regulator audit',
    });
    const onOtherModel = await hold({ kind: 'model', target: 'other-model', reason: 'unrelated' });
    const refused = await call(keys['admin'] ?? '', '/v1/subjects/subject-h', { method: 'DELETE' });
    const error = expectApiError(refused, 409, 'legal_hold');
    expect(error.details.map((d) => d.path).sort()).toEqual(
      [`holds/${onSubject.body['id']}`, `holds/${onModel.body['id']}`].sort(),
    );
    expect(error.details.map((d) => d.message).join('\n')).toContain('litigation 2026-17');
    const still = await call(keys['reviewer'] ?? '', '/v1/decisions/h-1');
    expect((still.body['decision'] as { cohort?: Json }).cohort).toEqual({ segment: COHORT_VALUE });

    for (const id of [onSubject.body['id'], onModel.body['id']]) {
      const released = await call(keys['admin'] ?? '', `/v1/holds/${String(id)}`, {
        method: 'DELETE',
      });
      expect(released.body).toMatchObject({ released_by: 'admin@example' });
    }
    expectApiError(
      await call(keys['admin'] ?? '', `/v1/holds/${String(onSubject.body['id'])}`, {
        method: 'DELETE',
      }),
      404,
      'hold_not_found',
    );
    const standing = await call(keys['auditor'] ?? '', '/v1/holds?standing=true');
    expect((standing.body['holds'] as Json[]).map((h) => h['id'])).toEqual([
      onOtherModel.body['id'],
    ]);
    const erased = await call(keys['admin'] ?? '', '/v1/subjects/subject-h', { method: 'DELETE' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
  });

  it('cover a subject through one of its decisions', async () => {
    expect((await post([personalDecision('h-2', 'subject-d')])).status).toBe(200);
    expect((await hold({ kind: 'decision', target: 'h-2', reason: 'complaint' })).status).toBe(201);
    expectApiError(
      await call(keys['admin'] ?? '', '/v1/subjects/subject-d', { method: 'DELETE' }),
      409,
      'legal_hold',
    );
  });

  it('are placed by admins only, checked, and recorded in the trail', async () => {
    expectApiError(
      await hold({ kind: 'subject', target: 'x', reason: 'r' }, keys['auditor'] ?? ''),
      403,
      'forbidden',
    );
    const bad = await hold({ kind: 'tenant', target: '', reason: ' ', extra: 1 });
    expect(
      expectApiError(bad, 400, 'invalid_body')
        .details.map((d) => d.path)
        .sort(),
    ).toEqual(['extra', 'kind', 'reason', 'target']);
    const trail = await call(keys['auditor'] ?? '', '/v1/access-log?action=holds.release');
    expect((trail.body['items'] as Json[]).length).toBeGreaterThanOrEqual(2);
    const placed = await call(keys['auditor'] ?? '', '/v1/access-log?action=holds.place');
    expect(placed.body['items']).toContainEqual(
      expect.objectContaining({
        details: expect.objectContaining({ kind: 'subject', reason: 'litigation 2026-17' }),
      }),
    );
  });
});

describe('free text sealed by the masking policy', () => {
  it('seals the listed summary: not in the database, read back, erased with its subject', async () => {
    const admin = keys['admin'] ?? '';
    const set = await call(admin, '/v1/policies/masking', {
      method: 'PUT',
      body: { rules: [], seal: ['rationale.summary'] },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    try {
      const summary = 'Caller Ingrid Falkmoreau confirmed the account';
      const event = decisionEvent({
        id: 'text-1',
        subject: { id: 'subject-text' },
        rationale: { summary, reasons: [{ code: 'income_ratio' }] },
      });
      expect((await post([event])).status).toBe(200);
      const read = await call(keys['reviewer'] ?? '', '/v1/decisions/text-1');
      const decision = read.body['decision'] as { rationale: { summary: string } };
      expect(decision.rationale.summary).toBe(summary);
      const text = await databaseText(store);
      expect(text.includes('Falkmoreau')).toBe(false);
      expect(text.toLowerCase().includes('falkmoreau')).toBe(false);

      const erased = await call(admin, '/v1/subjects/subject-text', { method: 'DELETE' });
      expect(erased.body).toMatchObject({ key_destroyed: true, records_shredded: 1 });
      const after = await call(keys['reviewer'] ?? '', '/v1/decisions/text-1');
      expect(after.body['decision']).toMatchObject({
        rationale: { summary: '[sealed]' },
        personal: { erased: true },
      });
      await verifyStore(store.location);
    } finally {
      await call(admin, '/v1/policies/masking', { method: 'DELETE' });
    }
  });

  it('refuses a field that cannot be sealed, naming it', async () => {
    const bad = await call(keys['admin'] ?? '', '/v1/policies/masking', {
      method: 'PUT',
      body: { rules: [], seal: ['annotation.text'] },
    });
    expect(expectApiError(bad, 400, 'invalid_body').details.map((d) => d.path)).toEqual([
      'seal[0]',
    ]);
  });
});
