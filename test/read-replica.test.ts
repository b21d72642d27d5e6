import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  leafHash,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type PinnedLog,
} from '@declog/core';
import { openStore } from 'declog';
import { startPostgres, startStandby, stopPostgres } from '../scripts/test-postgres.mjs';
import { killChildProcesses } from './helpers/child-processes.js';
import {
  actionEvent,
  decisionEvent,
  idOf,
  outcomeEvent,
  type TestEvent,
} from './helpers/event-factory.js';
import { expectApiError, getJson, ingestOk, type Json } from './helpers/http-api.js';
import {
  fetchCheckpoint,
  fetchEntry,
  fetchProof,
  fetchVerifierKey,
  fromBase64,
  toHex,
  type SignedCheckpoint,
} from './helpers/ledger-http-client.js';
import { withPostgres } from './helpers/postgres.js';
import { runCli } from './helpers/run-cli.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';

// `declog serve --read-store` on a real streaming replica: a private primary and a hot standby
// made from its base backup. The replica's replay is paused to show which database answers.

const tmp = useTempDir('read-replica');
const POOL_SIZE = 3;

let primary: { url: string; dir: string } | undefined;
let standby: { url: string; dir: string } | undefined;
let standbyStopped = false;
let server: ServerProcess;
let pinned: PinnedLog;
/** Everything sent through the server, by seq. */
const sent: TestEvent[] = [];

const primaryUrl = () => primary?.url ?? '';
const standbyUrl = () => standby?.url ?? '';

/** A decision with an action and an outcome, three events in that order. */
function chain(): TestEvent[] {
  const decision = decisionEvent();
  return [decision, actionEvent(idOf(decision)), outcomeEvent(idOf(decision))];
}

async function ingest(events: readonly TestEvent[]): Promise<void> {
  const results = await ingestOk(server.url, events);
  expect(results.map((r) => [r.status, r.seq])).toEqual(
    events.map((_, i) => ['created', sent.length + i]),
  );
  sent.push(...events);
}

/** Polls `probe` until it returns a value, for what only the database can tell. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The checkpoint the server serves once it covers `size` entries. */
const servedCheckpointOf = (size: number): Promise<SignedCheckpoint> =>
  eventually(`a served checkpoint of ${size} entries`, async () => {
    const checkpoint = await fetchCheckpoint(server.url, pinned);
    return checkpoint.size >= size ? checkpoint : undefined;
  });

const sql = <T>(url: string, text: string): Promise<T[]> =>
  withPostgres(url, async (client) => (await client.query(text)).rows as T[]);

/** The log's size and latest checkpoint size in the primary's own tables. */
async function primaryLog(): Promise<{ size: number; checkpoint: number }> {
  const [row] = await sql<{ size: string; checkpoint: string }>(
    primaryUrl(),
    "SELECT (SELECT size FROM logs WHERE tenant_id = 'default') AS size, " +
      "(SELECT max(size) FROM checkpoints WHERE tenant_id = 'default') AS checkpoint",
  );
  return { size: Number(row?.size), checkpoint: Number(row?.checkpoint) };
}

/** `GET /v1/decisions/{id}?proof=true`, every proof checked; returns the tree size used. */
async function expectChainProven(id: string): Promise<number> {
  const response = await getJson(server.url, `/v1/decisions/${id}?proof=true`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const body = response.body;
  const verified = verifyCheckpoint(body['checkpoint'] as string, pinned);
  if (!verified.ok) expect.fail(`chain ${id}: checkpoint does not verify: ${verified.reason}`);
  const { size, rootHash } = verified.checkpoint;
  const events = [
    body['decision'],
    ...(['actions', 'outcomes', 'annotations'] as const).flatMap((k) => body[k] as Json[]),
  ] as Json[];
  const proofs = body['proofs'] as { seq: number; hashes: string[] }[];
  expect(proofs.map((p) => p.seq).sort((a, b) => a - b)).toEqual(
    events.map((e) => e['seq'] as number).sort((a, b) => a - b),
  );
  for (const proof of proofs) {
    const event = events.find((e) => e['seq'] === proof.seq)!;
    expect(event['id']).toBe(idOf(sent[proof.seq]!));
    const leaf = leafHash(new TextEncoder().encode(canonicalJson(event)));
    const hashes = proof.hashes.map((h, i) => fromBase64(h, `proof of ${proof.seq} hash ${i}`));
    expect(verifyInclusion(leaf, proof.seq, size, hashes, rootHash), `seq ${proof.seq}`).toEqual({
      ok: true,
    });
  }
  return size;
}

/** `GET /v1/log/proof/inclusion?seq=N` (default size), checked against `checkpoint`. */
async function expectIncluded(seq: number, checkpoint: SignedCheckpoint): Promise<void> {
  const entry = await fetchEntry(server.url, seq);
  const proof = await fetchProof(server.url, `/v1/log/proof/inclusion?seq=${seq}`);
  expect(proof.status, JSON.stringify(proof.body)).toBe(200);
  expect(proof.body['tree_size']).toBe(checkpoint.size);
  expect(
    verifyInclusion(entry.leafHash, seq, checkpoint.size, proof.hashes, checkpoint.rootHash),
  ).toEqual({ ok: true });
}

beforeAll(async () => {
  primary = await startPostgres();
  standby = await startStandby(primary.dir);
  server = await startServer(
    [
      '--store',
      primary.url,
      '--read-store',
      standby.url,
      '--pool-size',
      String(POOL_SIZE),
      '--port',
      '0',
    ],
    { cwd: tmp.path },
  );
  const verifierKey = await fetchVerifierKey(server.url);
  pinned = { origin: verifierKey.split('+')[0]!, verifierKey };
}, 120_000);

afterAll(async () => {
  try {
    await killChildProcesses();
  } finally {
    try {
      if (standby && !standbyStopped) stopPostgres(standby.dir);
    } finally {
      if (primary) stopPostgres(primary.dir);
    }
  }
});

describe('declog serve --store PRIMARY --read-store REPLICA', () => {
  it('announces both databases and answers /healthz and the key as before', async () => {
    expect(server.banner).toContain(`(database ${primaryUrl()}, reads ${standbyUrl()})`);
    expect((await getJson(server.url, '/healthz')).body).toEqual({ status: 'ok' });
    expect(pinned.verifierKey).toMatch(/^declog\.local\/log\/[0-9a-f]{16}\+/);
  });

  it('serves what was appended once the replica has it, with proofs that verify', async () => {
    await ingest([...chain(), ...chain()]);
    await ingest(chain());
    const checkpoint = await servedCheckpointOf(sent.length);
    expect(checkpoint.size).toBe(sent.length);

    const page = await getJson<{ items: Json[] }>(server.url, '/v1/decisions');
    expect(page.body.items.map((d) => d['id']).sort()).toEqual(
      sent
        .filter((e) => e.type === 'decision')
        .map(idOf)
        .sort(),
    );
    const action = await getJson(server.url, `/v1/actions/${idOf(sent[1]!)}`);
    expect((action.body['decision'] as Json)['id']).toBe(idOf(sent[0]!));
    const entries = await getJson<{ items: Json[]; next: unknown }>(
      server.url,
      '/v1/events?from=0',
    );
    expect(entries.body.items.map((e) => (e['event'] as Json)['id'])).toEqual(sent.map(idOf));
    for (let seq = 0; seq < sent.length; seq += 3) {
      expect(await expectChainProven(idOf(sent[seq]!))).toBe(sent.length);
    }
    await expectIncluded(sent.length - 1, checkpoint);
  });

  it('keeps appending while the replica stands still, and serves only what the replica has', async () => {
    const before = await servedCheckpointOf(sent.length);
    const old = sent.length;
    await sql(standbyUrl(), 'SELECT pg_wal_replay_pause()');
    await eventually('replay to pause', async () => {
      const [row] = await sql<{ state: string }>(
        standbyUrl(),
        'SELECT pg_get_wal_replay_pause_state() AS state',
      );
      return row?.state === 'paused' ? true : undefined;
    });
    try {
      // Reads never block appends: the primary takes them while the replica is frozen.
      await ingest([...chain(), ...chain()]);
      const fresh = sent.slice(old);
      const signed = await eventually('the primary to sign the new entries', async () => {
        const log = await primaryLog();
        return log.checkpoint === sent.length ? log : undefined;
      });
      expect(signed.size).toBe(sent.length);

      // …but every read answers from the replica, which has none of them.
      expect((await fetchCheckpoint(server.url, pinned)).size).toBe(old);
      expectApiError(await getJson(server.url, `/v1/events/${old}`), 404, 'not_found');
      expectApiError(
        await getJson(server.url, `/v1/decisions/${idOf(fresh[0]!)}`),
        404,
        'not_found',
      );
      expectApiError(
        await getJson(server.url, `/v1/decisions/${idOf(fresh[0]!)}?proof=true`),
        404,
        'not_found',
      );
      expectApiError(await getJson(server.url, `/v1/actions/${idOf(fresh[1]!)}`), 404, 'not_found');
      const tail = await getJson<{ items: unknown[]; next: unknown }>(
        server.url,
        `/v1/events?from=${old}`,
      );
      expect(tail.body).toEqual({ items: [], next: null });
      const page = await getJson<{ items: Json[] }>(server.url, '/v1/decisions');
      expect(page.body.items.map((d) => d['id'])).not.toContain(idOf(fresh[0]!));
      expectApiError(
        await getJson(server.url, `/v1/log/proof/inclusion?seq=${old}`),
        400,
        'invalid_parameter',
      );
      expectApiError(
        await getJson(server.url, `/v1/log/proof/consistency?from=${old}&to=${sent.length}`),
        400,
        'invalid_parameter',
      );
      expectApiError(
        await getJson(server.url, `/v1/log/checkpoint?size=${sent.length}`),
        404,
        'not_found',
      );
      // What the replica has is still served and proven, against its own checkpoint.
      expect(await expectChainProven(idOf(sent[0]!))).toBe(old);
      await expectIncluded(old - 1, before);
    } finally {
      await sql(standbyUrl(), 'SELECT pg_wal_replay_resume()');
    }

    const after = await servedCheckpointOf(sent.length);
    expect(after.size).toBe(sent.length);
    const entry = await fetchEntry(server.url, old);
    expect(entry.event['id']).toBe(idOf(sent[old]!));
    expect(await expectChainProven(idOf(sent[old]!))).toBe(sent.length);
    await expectIncluded(old, after);
    const consistency = await fetchProof(
      server.url,
      `/v1/log/proof/consistency?from=${before.size}&to=${after.size}`,
    );
    expect(consistency.status).toBe(200);
    expect(
      verifyConsistency(
        before.size,
        after.size,
        consistency.hashes,
        before.rootHash,
        after.rootHash,
      ),
    ).toEqual({ ok: true });
    const kept = await getJson(server.url, `/v1/log/checkpoint?size=${before.size}`);
    expect(kept.body).toBe(before.note);
    expect(toHex(after.rootHash)).not.toBe(toHex(before.rootHash));
  });

  it('opens at most --pool-size connections to each database', async () => {
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const response = await getJson(server.url, i % 2 ? '/v1/decisions' : '/v1/events?from=0');
        expect(response.status).toBe(200);
      }),
    );
    const count = (url: string) =>
      sql<{ n: string }>(
        url,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'declog'",
      ).then((rows) => Number(rows[0]?.n));
    // 40 reads at once fill the replica's pool, and never more than it.
    expect(await count(standbyUrl())).toBe(POOL_SIZE);
    expect(await count(primaryUrl())).toBeLessThanOrEqual(POOL_SIZE);
  });
});

describe('declog serve with its read replica down', () => {
  it('answers reads 503 store_unavailable and goes on appending', async () => {
    standbyStopped = true;
    stopPostgres(standby!.dir);
    expectApiError(await getJson(server.url, '/v1/decisions'), 503, 'store_unavailable');
    expectApiError(await getJson(server.url, '/v1/log/checkpoint'), 503, 'store_unavailable');
    await ingest(chain());
    expect((await primaryLog()).size).toBe(sent.length);
    expect((await getJson(server.url, '/healthz')).status).toBe(200);
  });
});

describe('declog serve refuses a read store it cannot serve', () => {
  const serveFails = async (args: readonly string[], env: Record<string, string> = {}) => {
    const result = await runCli(['serve', '--port', '0', ...args], {
      cwd: tmp.path,
      env,
    });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).not.toContain('declog serving');
    return result.stderr;
  };

  it('without a PostgreSQL log, or when it is not a PostgreSQL URL', async () => {
    const db = tmp.file('log.db');
    const [sqliteLog, fromEnv, notPostgres] = await Promise.all([
      serveFails(['--db', db, '--read-store', standbyUrl()]),
      serveFails(['--db', db], { DECLOG_READ_DATABASE_URL: standbyUrl() }),
      serveFails(['--store', primaryUrl(), '--read-store', `sqlite:${db}`]),
    ]);
    expect(sqliteLog).toContain(
      `declog: --read-store needs a PostgreSQL --store (postgres://…): read replicas are ` +
        `PostgreSQL standbys, and ${db} is a SQLite file`,
    );
    expect(fromEnv).toContain('declog: $DECLOG_READ_DATABASE_URL needs a PostgreSQL --store');
    expect(notPostgres).toContain(
      `declog: --read-store must be a postgres:// URL of a read replica, not sqlite:${db}`,
    );
  });

  it('when it holds another log, or none', async () => {
    const other = new URL(primaryUrl());
    other.pathname = '/other';
    await sql(primaryUrl(), 'CREATE DATABASE other');
    const store = await openStore(other.toString());
    await store.initSetting('origin', 'other.example/log');
    await store.close();
    const empty = new URL(primaryUrl());
    empty.pathname = '/template1';
    const [otherLog, noLog] = await Promise.all([
      serveFails(['--store', primaryUrl(), '--read-store', other.toString()]),
      serveFails(['--store', primaryUrl(), '--read-store', empty.toString()]),
    ]);
    expect(otherLog).toContain(
      `declog: the read store holds another log (origin other.example/log, not ${pinned.origin})`,
    );
    expect(noLog).toMatch(
      /^declog: cannot read the log from the read store: no declog log in the database template1/m,
    );
  });

  it('with a pool size out of range, or for SQLite', async () => {
    const db = tmp.file('pool.db');
    const [forSqlite, ...outOfRange] = await Promise.all([
      serveFails(['--db', db, '--pool-size', '5']),
      ...['0', '201', 'ten'].map((size) =>
        serveFails(['--store', primaryUrl(), '--pool-size', size]),
      ),
    ]);
    expect(forSqlite).toContain(
      `declog: --pool-size applies to a PostgreSQL --store; ${db} is a SQLite file`,
    );
    ['0', '201', 'ten'].forEach((size, i) =>
      expect(outOfRange[i]).toContain(
        `option '--pool-size <n>' argument '${size}' is invalid. must be an integer from 1 to 200`,
      ),
    );
  });
});
