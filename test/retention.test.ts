import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateSigner,
  leafHashOfText,
  parseMasterKey,
  verifyCheckpoint,
  verifyInclusion,
  type LogDatabase,
  type MasterKey,
} from '@declog/core';
import { openDatabase, serve, type RunningServer } from 'declog';
import { openLogIdentity } from '../packages/server/src/services/ledger/open-log-identity.js';
import { actionEvent, decisionEvent } from './helpers/event-factory.js';
import { request, type ApiResponse, type Json } from './helpers/http-api.js';
import { fromBase64 } from './helpers/ledger-http-client.js';
import { runCli } from './helpers/run-cli.js';
import { testStore, type TestStore } from './helpers/test-store.js';
import { databaseText, storedCiphertext } from './helpers/database-text.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';

const tmp = useTempDir('declog-retention-');

// Values that must be gone from the database once retention removed them.
const OLD_SUMMARY = 'Pruned-summary-kestrel-5512';
const MID_EMPLOYER = 'Shredded-employer-osprey-7781';
const NEW_EMPLOYER = 'Kept-employer-heron-3390';

/** A server on the store under test whose clock the test sets. */
interface ClockedServer {
  readonly url: string;
  readonly database: LogDatabase;
  setClock(iso: string): void;
  close(): Promise<void>;
}

async function startClocked(
  store: TestStore,
  masterKey: MasterKey,
  options: { retentionIntervalMs?: number; signerKey: string },
): Promise<ClockedServer> {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const database = await openDatabase(store.location);
  const identity = await openLogIdentity(
    await database.log('default'),
    'retention.test/log',
    options.signerKey,
  );
  let server: RunningServer;
  try {
    server = await serve({
      database,
      identity,
      host: '127.0.0.1',
      port: 0,
      adminKey: process.env['DECLOG_ADMIN_KEY'] ?? '',
      masterKey,
      now: () => new Date(clock),
      retentionIntervalMs: options.retentionIntervalMs ?? 0,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    url: server.url,
    database,
    setClock: (iso) => (clock = Date.parse(iso)),
    close: () => server.close(),
  };
}

const personal = (id: string, subject: string, employer: string, summary?: string) =>
  decisionEvent({
    id,
    subject: { id: subject },
    input: { ref: 's3://applications/x', features: { employer } },
    ...(summary
      ? { rationale: { summary, reasons: [{ code: 'income_ratio', weight: 0.6 }] } }
      : {}),
  });

describe('retention with a fake clock', () => {
  let store: TestStore;
  let server: ClockedServer;
  const masterKey = (() => {
    const parsed = parseMasterKey(randomBytes(32).toString('hex'));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.key;
  })();
  const { signerKey } = generateSigner('retention.test/log');
  const call = (path: string, init: { method?: string; body?: unknown } = {}) =>
    request(server.url, path, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
        : {}),
    });
  const post = async (events: unknown[]) => {
    const answer = await call('/v1/events', { method: 'POST', body: { events } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  };

  beforeAll(async () => {
    store = await testStore(tmp, 'retention');
    server = await startClocked(store, masterKey, { signerKey });
    server.setClock('2026-01-01T00:00:00Z');
    await post([
      personal('d-old', 'subject-old', 'Old-employer', OLD_SUMMARY),
      actionEvent('d-old', { id: 'a-old' }),
      decisionEvent({ id: 'd-fraud', model: { name: 'fraud', version: '2' } }),
    ]);
    server.setClock('2026-03-01T00:00:00Z');
    await post([personal('d-mid', 'subject-mid', MID_EMPLOYER)]);
    server.setClock('2026-06-01T00:00:00Z');
    await post([personal('d-new', 'subject-new', NEW_EMPLOYER)]);
    const set = await call('/v1/policies/retention', {
      method: 'PUT',
      body: { personal_data: 'P60D', records: 'P120D', models: { fraud: { records: 'P1Y' } } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    server.setClock('2026-06-10T00:00:00Z');
  });
  afterAll(() => server?.close());

  it('refuses a bad policy, naming every bad field', async () => {
    const bad = await call('/v1/policies/retention', {
      method: 'PUT',
      body: { personal_data: '90 days', records: 'P0D', model: {} },
    });
    expect(bad.status).toBe(400);
    const details = (bad.body['error'] as { details: { path: string }[] }).details;
    expect(details.map((d) => d.path).sort()).toEqual(['', 'personal_data', 'records']);
  });

  it('a dry run lists what would go by age, and changes nothing', async () => {
    const plan = await call('/v1/retention/plan');
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body).toMatchObject({
      dry_run: true,
      as_of: '2026-06-10T00:00:00.000Z',
      shredded: { decisions: 1, ids: ['d-mid'] },
      pruned: { decisions: 1, entries: 2, orphans: 0, ids: ['d-old'] },
      held: { decisions: 0, items: [] },
      truncated: false,
    });
    expect((await call('/v1/decisions/d-old')).status).toBe(200);
    const mid = await call('/v1/decisions/d-mid');
    expect(JSON.stringify(mid.body)).toContain(MID_EMPLOYER);
  });

  it('a legal hold keeps what it covers, and the plan says which hold', async () => {
    const hold = await call('/v1/holds', {
      method: 'POST',
      body: { kind: 'subject', target: 'subject-mid', reason: 'case 42' },
    });
    expect(hold.status).toBe(201);
    const plan = await call('/v1/retention/plan');
    expect(plan.body).toMatchObject({
      shredded: { decisions: 0 },
      held: { decisions: 1, items: [{ id: 'd-mid', would: 'shred', holds: [hold.body['id']] }] },
    });
    expect((await call(`/v1/holds/${String(hold.body['id'])}`, { method: 'DELETE' })).status).toBe(
      200,
    );
  });

  it('applying shreds and prunes by age; proofs of the rest and the whole log still verify', async () => {
    const before = await call('/v1/decisions/d-new?proof=true');
    const log = await server.database.log('default');
    const sealedMid = (await log.personalData(['d-mid'])).get('d-mid')?.sealed ?? '';
    const ciphertext = storedCiphertext(store, sealedMid);
    expect((await databaseText(store)).includes(ciphertext)).toBe(true);
    const applied = await call('/v1/retention/apply', { method: 'POST' });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({
      dry_run: false,
      shredded: { decisions: 1, ids: ['d-mid'] },
      pruned: { decisions: 1, entries: 2, ids: ['d-old'] },
    });

    const gone = await call('/v1/decisions/d-old');
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ error: { code: 'pruned' } });
    expect((await call('/v1/actions/a-old')).status).toBe(410);
    const entry = await call('/v1/events/0');
    expect(entry.body).toMatchObject({
      seq: 0,
      pruned: { id: 'd-old', type: 'decision', pruned_at: '2026-06-10T00:00:00.000Z' },
    });
    expect(entry.body['event']).toBeUndefined();

    const mid = await call('/v1/decisions/d-mid');
    expect(mid.status).toBe(200);
    expect((mid.body['decision'] as { personal: Json }).personal).toMatchObject({ erased: true });
    expect(JSON.stringify(mid.body)).not.toContain(MID_EMPLOYER);
    expect(JSON.stringify((await call('/v1/decisions/d-new')).body)).toContain(NEW_EMPLOYER);
    expect((await call('/v1/decisions/d-fraud')).status).toBe(200);

    // The query index forgot the pruned decision.
    const page = await call('/v1/decisions?limit=100');
    const listed = (page.body['items'] as { id: string }[]).map((d) => d.id);
    expect(listed.sort()).toEqual(['d-fraud', 'd-mid', 'd-new']);

    // A proof served before still verifies against a checkpoint issued after.
    const after = await call('/v1/decisions/d-new?proof=true');
    expect(after.body['decision']).toEqual(before.body['decision']);
    const key = await call('/v1/log/key');
    const checkpoint = verifyCheckpoint(after.body['checkpoint'] as string, {
      origin: 'retention.test/log',
      verifierKey: String(key.body).trim(),
    });
    if (!checkpoint.ok) expect.fail(checkpoint.reason);
    const [proof] = after.body['proofs'] as { seq: number; hashes: string[] }[];
    expect(
      verifyInclusion(
        leafHashOfText(canonicalJson(after.body['decision'])),
        proof?.seq ?? -1,
        checkpoint.checkpoint.size,
        (proof?.hashes ?? []).map((h, i) => fromBase64(h, `hash ${i}`)),
        checkpoint.checkpoint.rootHash,
      ),
    ).toEqual({ ok: true });

    // A resend of a pruned event is a duplicate, not a new entry.
    const resent = await call('/v1/events', {
      method: 'POST',
      body: { events: [personal('d-old', 'subject-old', 'Old-employer', OLD_SUMMARY)] },
    });
    expect(resent.body).toMatchObject({ results: [{ id: 'd-old', seq: 0, status: 'duplicate' }] });

    const text = await databaseText(store);
    expect(text.includes(ciphertext)).toBe(false);
    expect(text.includes(OLD_SUMMARY)).toBe(false);
    // Not even the words of its summary are left in the search index.
    expect(text.includes('kestrel')).toBe(false);
    // What stays is still there to find: the search above would have seen them.
    expect(text.includes('Income ratio well above the threshold')).toBe(true);
  });

  it('verify passes on the database and through the API, counting the pruned entries', async () => {
    const local = await verifyStore(store.location);
    expect(local.size).toBe(5);
    expect(local.result.stdout).toContain('2 entries pruned by retention');
    const remote = await runCli(['verify', '--url', server.url, '--state', tmp.file('v.json')]);
    expect(remote.code, remote.stdout + remote.stderr).toBe(0);
    expect(remote.stdout).toContain('2 of them pruned by retention');
  });

  it('the access trail records the plan and the run, with their counts', async () => {
    const trail = await call('/v1/access-log?action=retention.apply');
    const [entry] = trail.body['items'] as { details: Json; records: number }[];
    expect(entry).toMatchObject({
      records: 3,
      details: { shredded_decisions: '1', pruned_entries: '2', as_of: '2026-06-10T00:00:00.000Z' },
    });
    const plans = await call('/v1/access-log?action=retention.plan');
    expect((plans.body['items'] as unknown[]).length).toBe(2);
  });

  it('nothing more goes on a second run, until the clock moves on', async () => {
    const again = await call('/v1/retention/apply', { method: 'POST' });
    expect(again.body).toMatchObject({ shredded: { decisions: 0 }, pruned: { entries: 0 } });
    server.setClock('2026-09-18T00:00:00Z');
    const later = await call('/v1/retention/apply', { method: 'POST' });
    // d-mid's chain is now older than 120 days; d-new's personal data older than 60 (the
    // record itself is 109 days old); d-fraud's model keeps records for a year.
    expect(later.body).toMatchObject({
      shredded: { decisions: 1, ids: ['d-new'] },
      pruned: { decisions: 1, ids: ['d-mid'] },
    });
    expect((await call('/v1/decisions/d-fraud')).status).toBe(200);
  });

  it('a resend of a pruned decision whose subject was erased since is still a duplicate', async () => {
    const erased = await call('/v1/subjects/subject-old', { method: 'DELETE' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    // Sealed now under a throwaway key, to another commitment than the one pruned.
    const resent = await call('/v1/events', {
      method: 'POST',
      body: {
        events: [
          personal('d-old', 'subject-old', 'Old-employer', OLD_SUMMARY),
          personal('d-mid', 'subject-mid', MID_EMPLOYER),
        ],
      },
    });
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body).toMatchObject({
      results: [
        { id: 'd-old', seq: 0, status: 'duplicate' },
        { id: 'd-mid', seq: 3, status: 'duplicate' },
      ],
    });
    // Other content under the pruned id is still a conflict.
    const changed = await call('/v1/events', {
      method: 'POST',
      body: {
        events: [{ ...personal('d-old', 'subject-old', 'Old'), prediction: { label: 'x' } }],
      },
    });
    expect(changed.status).toBe(409);
  });
});

describe('retention on a schedule, and from the CLI', () => {
  const masterKey = (() => {
    const parsed = parseMasterKey(randomBytes(32).toString('hex'));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.key;
  })();
  const { signerKey } = generateSigner('retention.test/log');

  it('a server applies every tenant policy by itself and records the run', async () => {
    const store = await testStore(tmp, 'scheduled');
    const server = await startClocked(store, masterKey, { signerKey, retentionIntervalMs: 100 });
    try {
      const post = (path: string, body: unknown, method = 'POST'): Promise<ApiResponse<Json>> =>
        request(server.url, path, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post('/v1/events', { events: [decisionEvent({ id: 's-1' })] })).status).toBe(
        200,
      );
      expect((await post('/v1/policies/retention', { records: 'P30D' }, 'PUT')).status).toBe(200);
      server.setClock('2026-03-01T00:00:00Z');
      // The run records itself once it has pruned: wait for the record.
      const deadline = Date.now() + 10_000;
      const runs = () => request(server.url, '/v1/access-log?action=retention.apply');
      while (((await runs()).body['items'] as unknown[]).length === 0) {
        if (Date.now() > deadline) expect.fail('no scheduled retention run was recorded');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await request(server.url, '/v1/decisions/s-1')).status).toBe(410);
      const trail = await runs();
      expect(trail.body['items']).toMatchObject([
        {
          method: 'SCHEDULE',
          actor: { name: 'retention-schedule' },
          details: { pruned_entries: '1' },
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('declog retention policy and apply work on the database, with a dry run first', async () => {
    const store = await testStore(tmp, 'cli');
    const server = await startClocked(store, masterKey, { signerKey });
    try {
      const answer = await request(server.url, '/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: [decisionEvent({ id: 'c-1' })] }),
      });
      expect(answer.status).toBe(200);
    } finally {
      await server.close();
    }
    const args = store.args;
    const policyFile = tmp.file('policy.json');
    writeFileSync(policyFile, JSON.stringify({ records: 'P30D' }));
    const set = await runCli(['retention', 'policy', '--set', policyFile, ...args]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('"records": "P30D"');

    const bad = tmp.file('bad.json');
    writeFileSync(bad, JSON.stringify({ records: 'thirty days' }));
    const refused = await runCli(['retention', 'policy', '--set', bad, ...args]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('records');

    // The event was recorded on 2026-01-01 by the fake clock: long past 30 days now.
    const dry = await runCli(['retention', 'apply', '--dry-run', '--json', ...args]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, pruned: { ids: ['c-1'] } });
    const applied = await runCli(['retention', 'apply', ...args]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('pruned: 1 decision chain(s)');
    const verified = await verifyStore(store.location);
    expect(verified.result.stdout).toContain('1 entries pruned by retention');

    // A copy carries the pruned entry as its mark: the same root, the same verification.
    const copy = `sqlite:${tmp.file('copy.db')}`;
    const copied = await runCli(['copy', '--from', store.location, '--to', copy]);
    expect(copied.code, copied.stdout + copied.stderr).toBe(0);
    const verifiedCopy = await verifyStore(copy);
    expect(verifiedCopy.root).toBe(verified.root);
    expect(verifiedCopy.result.stdout).toContain('1 entries pruned by retention');
    const cleared = await runCli(['retention', 'policy', '--clear', ...args]);
    expect(cleared.stdout).toContain('removed the retention policy');
  });
});
