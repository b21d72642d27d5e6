import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigner, parseMasterKey, type LogDatabase } from '@declog/core';
import { openDatabase, serve, type RunningServer } from 'declog';
import { openLogIdentity } from '../../packages/server/src/services/ledger/open-log-identity.js';
import { databaseText } from '../helpers/database-text.js';
import { decisionEvent } from '../helpers/event-factory.js';
import { request, type Json } from '../helpers/http-api.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { testStore, type TestStore } from '../helpers/test-store.js';

// The access trail kept query words, label values and X-Declog-Purpose texts verbatim in its
// leaves, where neither erasure nor retention could reach them. They are now kept beside the
// trail, the leaf holding only a salted commitment to them: erasing a subject deletes those of
// the entries concerning it, retention those past the personal-data period, and every trail
// still verifies.

const tmp = useTempDir('access-trail-personal');

// Personal values that must leave the database with erasure or retention.
const PURPOSE = 'complaint from Zebulon Quartermaine 4471';
const LABEL_VALUE = 'Quartermaine-household-8812';
const OTHER_PURPOSE = 'weekly sample by Ottoline Fairweather 2290';
const SEARCH_WORD = 'kestrelword';

interface TrailItem {
  readonly id: string;
  readonly action: string;
  readonly route: string;
  readonly filters?: Record<string, string>;
  readonly purpose?: string;
  readonly personal?: { fields: string[]; commitment: string; kept?: true; deleted?: true };
}

describe('personal details of the access trail', () => {
  let store: TestStore;
  let database: LogDatabase;
  let server: RunningServer;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const reviewer = { key: '' };

  const call = (
    path: string,
    init: { method?: string; body?: unknown; key?: string; purpose?: string } = {},
  ) =>
    request(server.url, path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.key !== undefined ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.purpose !== undefined ? { 'x-declog-purpose': init.purpose } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const trail = async (): Promise<TrailItem[]> => {
    const page = await call('/v1/access-log?limit=1000');
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    return page.body['items'] as TrailItem[];
  };
  const leaves = async (): Promise<string> => {
    const entries = await call('/v1/access-log/entries?from=0&limit=1000');
    expect(entries.status, JSON.stringify(entries.body)).toBe(200);
    return JSON.stringify(entries.body);
  };
  /** `declog verify` of the decision log and of the access trail, on the database. */
  const verify = async () => {
    for (const trail of [[], ['--access-log']]) {
      const result = await runCli(['verify', ...store.args, ...trail], { cwd: store.cwd });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^ok \d+ entries/m);
    }
  };

  beforeAll(async () => {
    store = await testStore(tmp, 'trail');
    database = await openDatabase(store.location);
    const { signerKey } = generateSigner('trail.test/log');
    const identity = await openLogIdentity(
      await database.log('default'),
      'trail.test/log',
      signerKey,
    );
    const parsed = parseMasterKey(randomBytes(32).toString('hex'));
    if (!parsed.ok) throw new Error(parsed.reason);
    server = await serve({
      database,
      identity,
      host: '127.0.0.1',
      port: 0,
      adminKey: process.env['DECLOG_ADMIN_KEY'] ?? '',
      masterKey: parsed.key,
      now: () => new Date(clock),
      retentionIntervalMs: 0,
    });
    const made = await call('/v1/keys', {
      method: 'POST',
      body: { role: 'reviewer', name: 'rita' },
    });
    expect(made.status).toBe(201);
    reviewer.key = String(made.body['key']);
    const posted = await call('/v1/events', {
      method: 'POST',
      body: {
        events: [
          decisionEvent({
            id: 'd-zeb',
            subject: { id: 'subject-zeb' },
            rationale: { summary: `Approved ${SEARCH_WORD} after review` },
          }),
          decisionEvent({ id: 'd-other', subject: { id: 'subject-other' } }),
        ],
      },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    // Reads that concern subject-zeb: its decision read with a purpose, a search that finds
    // it, a query filtered on it with a label value; and a read of another subject.
    expect(
      (await call('/v1/decisions/d-zeb', { key: reviewer.key, purpose: PURPOSE })).status,
    ).toBe(200);
    const found = await call(`/v1/decisions?q=${SEARCH_WORD}`, { key: reviewer.key });
    expect((found.body['items'] as Json[]).map((d) => d['id'])).toEqual(['d-zeb']);
    const labelled = await call(
      `/v1/decisions?subject=subject-zeb&label.household=${LABEL_VALUE}`,
      { key: reviewer.key },
    );
    expect(labelled.status).toBe(200);
    expect(
      (await call('/v1/decisions/d-other', { key: reviewer.key, purpose: OTHER_PURPOSE })).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps purposes and personal filter values out of the leaves, and shows them to auditors', async () => {
    const text = await leaves();
    for (const value of [PURPOSE, LABEL_VALUE, OTHER_PURPOSE, SEARCH_WORD]) {
      expect(text.includes(value), value).toBe(false);
    }
    const items = await trail();
    const read = items.find((i) => i.route === '/v1/decisions/:id' && i.purpose === PURPOSE);
    expect(read?.personal).toMatchObject({ fields: ['/purpose'], kept: true });
    const search = items.find((i) => i.filters?.['q'] === SEARCH_WORD);
    expect(search?.personal).toMatchObject({ fields: ['/filters/q'], kept: true });
    const labelled = items.find((i) => i.filters?.['label.household'] === LABEL_VALUE);
    expect(labelled).toMatchObject({ filters: { subject: 'subject-zeb' } });
    await verify();
  });

  it('deletes the details of entries concerning an erased subject; the trail still verifies', async () => {
    const erased = await call('/v1/subjects/subject-zeb', { method: 'DELETE' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body['access_details_deleted']).toBe(3);
    const text = await databaseText(store);
    for (const value of [PURPOSE, LABEL_VALUE]) expect(text.includes(value), value).toBe(false);
    // Another subject's entry keeps its details.
    const items = await trail();
    expect(items.find((i) => i.purpose === OTHER_PURPOSE)?.personal?.kept).toBe(true);
    const gone = items.filter((i) => i.personal?.deleted === true);
    expect(gone).toHaveLength(3);
    expect(gone.every((i) => i.purpose === undefined && i.filters?.['q'] === undefined)).toBe(true);
    await verify();
  });

  it('deletes details older than the personal-data period on a retention run', async () => {
    const set = await call('/v1/policies/retention', {
      method: 'PUT',
      body: { personal_data: 'P30D' },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    clock = Date.parse('2026-03-01T00:00:00Z');
    const dry = await call('/v1/retention/plan');
    expect(dry.body['access_details_deleted']).toBe(0);
    const run = await call('/v1/retention/apply', { method: 'POST', body: {} });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body['access_details_deleted']).toBeGreaterThanOrEqual(1);
    expect((await databaseText(store)).includes(OTHER_PURPOSE)).toBe(false);
    const items = await trail();
    expect(items.find((i) => i.purpose === OTHER_PURPOSE)).toBeUndefined();
    await verify();
  });
});
