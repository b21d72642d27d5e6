import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { actionEvent, decisionEvent, idOf, type TestEvent } from './helpers/event-factory.js';
import { postEvents, request, type IngestResult } from './helpers/http-api.js';
import { freshPostgresDatabase, withPostgres } from './helpers/postgres.js';
import { startServer } from './helpers/server-process.js';
import { writeSigningKey } from './helpers/signing-key-file.js';
import { readStoredLog } from './helpers/stored-log.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';

const tmp = useTempDir('pg-writers');
afterAll(killChildProcesses);

/** How long the writers keep going; longer runs (env) shake out rarer interleavings. */
const LOAD_MS = Number(process.env['DECLOG_TEST_LOAD_MS'] ?? 15_000);
const CLIENTS_PER_SERVER = 5;
const DECISIONS_PER_BATCH = 150;

/** One answer to a request of the test: what was sent where, and what came back. */
interface Answer {
  readonly what: string;
  readonly server: number;
  readonly status: number;
  readonly text: string;
  /** When the answer came (performance.now()). */
  readonly at: number;
}

it('answers every append with three servers racing on one log: duplicates, new subjects, erasures', async () => {
  const url = await freshPostgresDatabase();
  const key = tmp.file('writers.key');
  writeSigningKey(key, 'example.org/declog/writers');
  const args = ['--store', url, '--signing-key', key, '--port', '0'];
  const limits = ['--rate-limit-reads', '0', '--rate-limit-writes', '0'];
  // The first server makes the master key in the shared working directory; the others use it.
  const first = await startServer([...args, ...limits], { cwd: tmp.path });
  const others = await Promise.all(
    [1, 2].map(() => startServer([...args, ...limits], { cwd: tmp.path })),
  );
  const servers = [first, ...others];
  const urls = servers.map((server) => server.url);

  const answers: Answer[] = [];
  /** The seq each acknowledged id was given, by every answer that acknowledged it. */
  const acknowledged = new Map<string, Set<number>>();
  const post = async (server: number, events: readonly TestEvent[]): Promise<void> => {
    const response = await request<{ results: IngestResult[] }>(urls[server]!, '/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    answers.push({
      what: `POST /v1/events (${idOf(events[0]!)}…)`,
      server,
      status: response.status,
      text: JSON.stringify(response.body).slice(0, 300),
      at: performance.now(),
    });
    if (response.status !== 200) return;
    for (const result of response.body.results) {
      const seqs = acknowledged.get(result.id) ?? new Set<number>();
      seqs.add(result.seq);
      acknowledged.set(result.id, seqs);
    }
  };

  // Batches numbered in the order they are made, run at once on different servers; most of
  // their subjects are drawn from 3,000, so that batches in flight together share subjects
  // that none has stored yet, whose keys the servers then race to store first.
  let made = 0;
  const stopAt = performance.now() + LOAD_MS;
  const batchOf = (n: number): TestEvent[] => {
    const decisions = Array.from({ length: DECISIONS_PER_BATCH }, (_, j) =>
      decisionEvent({
        subject: {
          id: j % 3 === 0 ? `known-${(n * 7 + j) % 40}` : newSubject(n, j),
        },
        // Features are personal: every decision is sealed under its subject's key.
        input: { features: { income: 1000 + n, tenure: j } },
      }),
    );
    return [...decisions, actionEvent(idOf(decisions[0]!)), actionEvent(idOf(decisions[1]!))];
  };
  /** Subjects whose first decisions are being appended right now. */
  const arriving: string[] = [];
  const writer = async (server: number): Promise<void> => {
    while (performance.now() < stopAt) {
      const n = made;
      made += 1;
      const events = batchOf(n);
      arriving.push(newSubject(n, 1));
      // Every third batch goes to two servers at once (a resend racing the first send), and
      // every batch is resent once more after its answer: all of these are duplicates.
      const twin = n % 3 === 0 ? [post((server + 1) % 3, events)] : [];
      await Promise.all([post(server, events), ...twin]);
      await post((server + 2) % 3, events);
    }
  };
  // In the second half, erasures move the tenant's erasure epoch while batches are sealed and
  // appended, and most erase a subject whose first key a batch in flight is storing.
  const erasingFrom = performance.now() + LOAD_MS / 2;
  const eraser = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 2));
    for (let i = 0; performance.now() < stopAt; i += 1) {
      const subject =
        i % 3 === 0 ? `known-${(i * 13) % 40}` : (arriving.pop() ?? `new-${made}-${i}`);
      const server = i % 3;
      const response = await request(urls[server]!, `/v1/subjects/${subject}`, {
        method: 'DELETE',
      });
      answers.push({
        what: `DELETE /v1/subjects/${subject}`,
        server,
        status: response.status,
        text: JSON.stringify(response.body).slice(0, 300),
        at: performance.now(),
      });
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  };
  await Promise.all([
    ...[0, 1, 2].flatMap((server) =>
      Array.from({ length: CLIENTS_PER_SERVER }, () => writer(server)),
    ),
    eraser(),
  ]);

  // Until erasures begin, every request is answered 200: a key another server stored first for
  // a subject new to this one makes the batch sealed again, not refused. Erasures (40 a second
  // here) move the tenant's erasure epoch, which makes every batch in flight sealed again: then
  // a batch that meets one at each of its attempts is refused 503, to be retried; never a 500.
  const failed = answers.filter(
    (a) =>
      a.status !== 200 &&
      (a.at < erasingFrom || a.status !== 503 || !/subject keys kept changing/.test(a.text)),
  );
  expect(failed, servers.map((s) => s.stderr()).join('\n')).toEqual([]);
  const appended = answers.filter((a) => a.what.startsWith('POST') && a.status === 200);
  expect(appended.length, 'batches acknowledged').toBeGreaterThan(30);
  expect(answers.filter((a) => a.what.startsWith('DELETE')).length).toBeGreaterThan(5);

  // One seq per id, however many answers acknowledged it; the log holds each id there, once,
  // at seqs 0..n-1 with no gap.
  const log = await readStoredLog(url);
  const stored = new Map(log.entries.map((entry) => [entry.id, entry.seq]));
  const problems: string[] = [];
  for (const [id, seqs] of acknowledged) {
    if (seqs.size !== 1) problems.push(`${id} was acknowledged at seqs ${[...seqs].join(', ')}`);
    const [seq] = seqs;
    if (stored.get(id) !== seq)
      problems.push(`${id} acknowledged at ${seq}, stored at ${stored.get(id)}`);
  }
  log.entries.forEach((entry, i) => {
    if (entry.seq !== i) problems.push(`position ${i} holds seq ${entry.seq}`);
  });
  expect(problems.slice(0, 20)).toEqual([]);
  expect(stored.size, 'ids stored twice').toBe(log.entries.length);
  expect(log.size).toBe(log.entries.length);

  for (const server of servers) expect(await server.stop()).toEqual({ code: 0, signal: null });
  const audit = await verifyStore(url);
  expect(audit.size).toBe(log.entries.length);
}, 240_000);

it('seals first decisions of the same new subjects on three servers at once: every batch 200', async () => {
  const url = await freshPostgresDatabase();
  const key = tmp.file('new-subjects.key');
  writeSigningKey(key, 'example.org/declog/new-subjects');
  const args = ['--store', url, '--signing-key', key, '--port', '0'];
  const first = await startServer(args, { cwd: tmp.path });
  const others = await Promise.all([1, 2].map(() => startServer(args, { cwd: tmp.path })));
  const servers = [first, ...others];
  // Big batches of subjects drawn from 50,000: two batches in flight together on different
  // servers share a few subjects that neither has stored yet, as the benchmark's do.
  const statuses: number[] = [];
  const client = async (server: number, c: number): Promise<void> => {
    for (let b = 0; b < 3; b += 1) {
      const n = (server * 2 + c) * 3 + b;
      const events = Array.from({ length: 500 }, (_, j) =>
        decisionEvent({
          subject: { id: `s-${hashed(n * 1_000 + j) % 50_000}` },
          input: { features: { income: j } },
        }),
      );
      const response = await postEvents(servers[server]!.url, events);
      statuses.push(response.status);
      expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(200);
    }
  };
  await Promise.all([0, 1, 2].flatMap((server) => [0, 1].map((c) => client(server, c))));
  expect(statuses).toEqual(Array.from({ length: 18 }, () => 200));
  for (const server of servers) expect(await server.stop()).toEqual({ code: 0, signal: null });
  const audit = await verifyStore(url);
  expect(audit.size).toBe(18 * 500);
}, 240_000);

/** How many sessions of database `url` wait for a lock. */
async function waitingForLocks(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  return withPostgres(url, async (client) => {
    const { rows } = await client.query(
      `SELECT query FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [name],
    );
    return rows.length;
  });
}

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('erases a subject while another server stores its first key: no deadlock, no 500', async () => {
  const url = await freshPostgresDatabase();
  const key = tmp.file('erase-race.key');
  writeSigningKey(key, 'example.org/declog/erase-race');
  const server = await startServer(['--store', url, '--signing-key', key, '--port', '0'], {
    cwd: tmp.path,
  });
  const sealed = (subject: string) =>
    decisionEvent({ subject: { id: subject }, input: { features: { income: 1 } } });
  expect((await postEvents(server.url, [sealed('someone-else')])).status).toBe(200);
  // The key another server makes for the subject: made here by a server of another database
  // with the same master key (a key is bound to its tenant and subject, not to its database).
  const keyOfOtherServer = await (async () => {
    const other = await freshPostgresDatabase();
    const maker = await startServer(['--store', other, '--signing-key', key, '--port', '0'], {
      cwd: tmp.path,
    });
    expect((await postEvents(maker.url, [sealed('first-timer')])).status).toBe(200);
    await maker.stop();
    return withPostgres(other, async (client) => {
      const { rows } = await client.query<{ wrapped_key: string }>(
        "SELECT wrapped_key FROM subject_keys WHERE subject = 'first-timer'",
      );
      return rows[0]?.wrapped_key;
    });
  })();

  // Two appends of other servers are in progress: one holds the log, the next the tenant's row
  // (in share mode, as a sealed append does until it commits).
  const log = await holding(url, "SELECT 1 FROM logs WHERE tenant_id = 'default' FOR UPDATE");
  const tenant = await holding(url, "SELECT 1 FROM tenants WHERE name = 'default' FOR SHARE");
  try {
    // This server seals the first decision of a subject under a key of its own, and waits for
    // the log; meanwhile another server stores a key for that subject, and an erasure of it
    // begins.
    const append = postEvents(server.url, [sealed('first-timer')]);
    await until('the append to wait for the log', async () => (await waitingForLocks(url)) === 1);
    await withPostgres(url, (client) =>
      client.query(
        `INSERT INTO subject_keys (tenant, subject, wrapped_key, created_at)
          VALUES ('default', 'first-timer', $1, now()::text)`,
        [keyOfOtherServer],
      ),
    );
    const erasure = request(server.url, '/v1/subjects/first-timer', { method: 'DELETE' });
    await until('the erasure to wait', async () => (await waitingForLocks(url)) === 2);
    await log.release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await tenant.release();
    const [appended, erased] = await Promise.all([append, erasure]);
    expect([appended.status, erased.status], server.stderr()).toEqual([200, 200]);
  } finally {
    await log.release();
    await tenant.release();
  }
  expect(server.stderr()).not.toMatch(/internal error/);
  expect(await server.stop()).toEqual({ code: 0, signal: null });
});

/** A transaction of its own on `url` that has run `sql` (taking its locks) until released. */
async function holding(url: string, sql: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Subject of decision `j` of batch `n`: one of 3,000, spread as a hash spreads. */
function newSubject(n: number, j: number): string {
  return `new-${hashed(n * 1_000 + j) % 3_000}`;
}

/** A non-negative integer that `n` maps to as a hash would (the same every run). */
function hashed(n: number): number {
  let x = Math.imul(n + 1, 0x9e3779b1);
  x = Math.imul(x ^ (x >>> 15), 0x85ebca6b);
  return (x ^ (x >>> 13)) >>> 0;
}
