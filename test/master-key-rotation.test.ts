import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMasterKey, unwrapPseudonymKey, wrappingKeyIds, type MasterKey } from '@declog/core';
import { openDatabase } from 'declog';
import { rotateMasterKey } from '../packages/server/src/services/privacy/rotate-master-key.js';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import { request, type Json } from './helpers/http-api.js';
import { withStoreSql } from './helpers/ledger-store.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, startServerOn, testStore, type TestStore } from './helpers/test-store.js';

// `declog master-key rotate` on a database with sealed personal data and a masking policy:
// interrupted, resumed, and read back with either key on the way.

const tmp = useTempDir('master-key-rotation');
afterAll(killChildProcesses);

const FEATURES = { employer: 'Halvorsen Ropeworks 2281', income: 48000 };
const CUSTOMER = 'customer.rotation@example.org';
const SUBJECTS = ['subject-1', 'subject-2', 'subject-3', 'subject-4', 'subject-5'];
const ERASED = 'subject-3';

let store: TestStore;
let oldKey: MasterKey;
let newKey: MasterKey;
let newKeyFile: string;
let pseudonymBefore: string;

function keyFromText(text: string): MasterKey {
  const parsed = parseMasterKey(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.key;
}

/** The old key: the default file the first server made beside the database (or in cwd). */
function defaultKeyFile(): string {
  return STORE_KIND === 'sqlite'
    ? `${store.location.slice('sqlite:'.length)}.master-key`
    : `${store.cwd}/declog-master.key`;
}

const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli([...args, ...store.args], { cwd: store.cwd, env });

function ok(result: CliResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** `declog get` of each subject's decision, on the database, given `key` (default: the file). */
async function featuresRead(key?: MasterKey): Promise<unknown[]> {
  const env = key ? { DECLOG_MASTER_KEY: Buffer.from(key.bytes).toString('hex') } : {};
  const read: unknown[] = [];
  for (const subject of SUBJECTS) {
    const result = await cli(['get', `dec-${subject}`, '--json'], env);
    if (result.code !== 0) {
      read.push(`refused: ${result.stderr.trim()}`);
      continue;
    }
    const chain = JSON.parse(result.stdout) as {
      decision: { input: Json; personal: Json };
    };
    read.push(
      chain.decision.personal['erased'] === true ? 'erased' : chain.decision.input['features'],
    );
  }
  return read;
}

const EXPECTED = SUBJECTS.map((s) => (s === ERASED ? 'erased' : FEATURES));

async function storedRows<T>(sql: string): Promise<T[]> {
  return withStoreSql(store, (db) => db.rows<T>(sql));
}

/** The master keys each live subject key is wrapped under, in stored order. */
async function wrappers(): Promise<string[][]> {
  const rows = await storedRows<{ wrapped_key: string | null }>(
    'SELECT wrapped_key FROM subject_keys WHERE wrapped_key IS NOT NULL',
  );
  return rows.map((row) => [...wrappingKeyIds(JSON.parse(row.wrapped_key as string))]);
}

async function pseudonymSetting(): Promise<string> {
  const [row] = await storedRows<{ value: string }>(
    "SELECT value FROM tenant_settings WHERE tenant = 'default' AND key = 'pseudonym_key'",
  );
  return row?.value ?? '';
}

async function postDecision(server: ServerProcess, id: string, subject: string) {
  const event = decisionEvent({
    id,
    subject: { id: subject },
    input: { ref: `s3://applications/${id}`, features: FEATURES },
    labels: { customer: CUSTOMER },
  });
  const posted = await request(server.url, '/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [event] }),
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
}

async function customerPseudonym(server: ServerProcess, id: string): Promise<string> {
  const read = await request<{ decision: { labels: Record<string, string> } }>(
    server.url,
    `/v1/decisions/${id}`,
  );
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body.decision.labels['customer'] ?? '';
}

beforeAll(async () => {
  store = await testStore(tmp, 'rotation');
  const server = await startServerOn(store);
  const set = await request(server.url, '/v1/policies/masking', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ path: 'labels.customer', action: 'pseudonymize' }] }),
  });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  for (const subject of SUBJECTS) await postDecision(server, `dec-${subject}`, subject);
  pseudonymBefore = await customerPseudonym(server, 'dec-subject-1');
  expect(pseudonymBefore).toMatch(/^hmac:/);
  const erased = await request(server.url, `/v1/subjects/${ERASED}`, { method: 'DELETE' });
  expect(erased.status, JSON.stringify(erased.body)).toBe(200);
  await server.stop();

  oldKey = keyFromText(readFileSync(defaultKeyFile(), 'utf8'));
  newKeyFile = tmp.file('new-master.key');
  writeFileSync(newKeyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  newKey = keyFromText(readFileSync(newKeyFile, 'utf8'));
});

describe('the tenant pseudonym key', () => {
  it('is stored wrapped by the master key, never in the clear', async () => {
    const text = await pseudonymSetting();
    const opened = unwrapPseudonymKey(oldKey, JSON.parse(text), 'default');
    if (!opened.ok) throw new Error(opened.reason);
    const key = Buffer.from(opened.pseudonymKey);
    const forms = [key.toString('base64'), key.toString('hex'), key.toString('latin1')];
    if (STORE_KIND === 'sqlite') {
      const file = store.location.slice('sqlite:'.length);
      const bytes = [file, `${file}-wal`]
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path).toString('latin1'))
        .join('\n');
      expect(bytes).toContain('pseudonym_key');
      for (const form of forms) expect(bytes.includes(form), form).toBe(false);
    } else {
      const settings = await storedRows<{ value: string }>('SELECT value FROM tenant_settings');
      const all = settings.map((row) => row.value).join('\n');
      for (const form of forms.slice(0, 2)) expect(all.includes(form), form).toBe(false);
    }
  });
});

describe('declog master-key rotate', () => {
  it('prints a key id', async () => {
    expect(ok(await cli(['master-key', 'id', '--master-key', newKeyFile])).trim()).toBe(newKey.id);
    expect(ok(await cli(['master-key', 'id'])).trim()).toBe(oldKey.id);
  });

  it('lets either key read everything after a run stopped while adding the new key', async () => {
    const database = await openDatabase(store.location);
    let batches = 0;
    await expect(
      rotateMasterKey(
        database.governance,
        { newKey, oldKey: () => oldKey },
        {
          batchSize: 2,
          onBatch: () => {
            if ((batches += 1) === 2) throw new Error('stopped mid-way');
          },
        },
      ),
    ).rejects.toThrow('stopped mid-way');
    await database.close();
    const ids = (await wrappers()).map((w) => w.join(' ')).sort();
    expect(ids).toContain(`${newKey.id} ${oldKey.id}`);
    expect(ids).toContain(oldKey.id);
    expect(await featuresRead()).toEqual(EXPECTED);
    expect(await featuresRead(newKey)).toEqual(EXPECTED);
  });

  it('finishes when run again, after which only the new key reads', async () => {
    const summary = JSON.parse(
      ok(
        await cli(['master-key', 'rotate', '--new-key', newKeyFile, '--batch-size', '2', '--json']),
      ),
    ) as Json;
    expect(summary).toEqual({
      from: oldKey.id,
      to: newKey.id,
      resumed: true,
      // The stopped run got through subject-1, -2 (batch 1) and -3 (erased), -4 (batch 2).
      rewrapped: 1,
      already_done: 3,
      erased_skipped: 1,
      pseudonym_keys: 1,
    });
    expect(await wrappers()).toEqual([[newKey.id], [newKey.id], [newKey.id], [newKey.id]]);
    expect(wrappingKeyIds(JSON.parse(await pseudonymSetting()))).toEqual([newKey.id]);

    expect(await featuresRead(newKey)).toEqual(EXPECTED);
    const refused = await featuresRead();
    for (const answer of refused) expect(answer).toContain(`master key ${oldKey.id} is not this`);
  });

  it('says so when there is nothing left to rotate', async () => {
    const again = await cli(['master-key', 'rotate', '--new-key', newKeyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`master key ${newKey.id} is this database's key already`);
  });

  it('keeps pseudonyms, and so joins, across the rotation; the erased subject stays erased', async () => {
    const server = await startServerOn(store, ['--master-key', newKeyFile]);
    try {
      await postDecision(server, 'dec-after', 'subject-1');
      expect(await customerPseudonym(server, 'dec-after')).toBe(pseudonymBefore);
      const joined = await request<{ items: { id: string }[] }>(
        server.url,
        `/v1/decisions?label.customer=${encodeURIComponent(pseudonymBefore)}`,
      );
      expect(joined.body.items.map((d) => d.id).sort()).toEqual(
        ['dec-after', ...SUBJECTS.map((s) => `dec-${s}`)].sort(),
      );
      const erased = await request<{ decision: { personal: Json; input: Json } }>(
        server.url,
        `/v1/decisions/dec-${ERASED}`,
      );
      expect(erased.body.decision.personal['erased']).toBe(true);
      expect(erased.body.decision.input['features']).toBeUndefined();

      const trail = await request<{ items: Json[] }>(
        server.url,
        '/v1/access-log?action=master-key.rotate',
      );
      expect(trail.body.items).toEqual([
        expect.objectContaining({
          method: 'LOCAL',
          route: 'declog master-key rotate',
          details: { from: oldKey.id, to: newKey.id },
        }),
      ]);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start a server on the old key', async () => {
    await expect(startServerOn(store)).rejects.toThrow(`master key ${oldKey.id} is not this`);
  });
});
