import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { openSqliteStore } from 'declog';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';
import { waitFor } from './helpers/wait-for.js';
import { runProducer, startProducer } from './sdk/producer-process.js';
import { lastJson, runScript } from './sdk/run-script.js';
import { expectExactlyOnce, range } from './sdk/stored-ids.js';

// Embedded mode as a user meets it: the built @declog/sdk imported by a separate process with
// `{ db }`, storing into a real SQLite file through the server's code (declog/embedded); what
// was stored is read back through the server's store code and the built CLI.

const tmp = useTempDir('sdk-embedded');
afterAll(killChildProcesses);

/** The id of every event in the database's default log, in log order, read by the server's store. */
async function idsInDb(db: string): Promise<string[]> {
  const store = openSqliteStore(db);
  try {
    const ids: string[] = [];
    for (let from = 0; ; from += 1000) {
      const rows = await store.scan(from, 1000);
      if (rows.length === 0) return ids;
      for (const row of rows)
        ids.push('json' in row ? (JSON.parse(row.json) as { id: string }).id : '');
    }
  } finally {
    await store.close();
  }
}

const DECISION = `{
  model: { name: 'credit', version: '2.1' },
  prediction: { label: 'approve', score: 0.82 },
  rationale: { summary: 'income well above the threshold', reasons: [{ code: 'income' }] },
  subject: { id: 'cust-1' },
  input: { features: { email: 'ann@example.com', income: 52000 } },
}`;

/** A program that logs with `options` (a JS expression), prints onError lines and, last, its result. */
const program = (options: string, body: string) => `
import { createDecisionLog } from '@declog/sdk';
const errors = [];
const log = createDecisionLog({ ...${options}, onError: (e) => errors.push({ code: e.code, message: e.message, serverCode: e.serverCode, eventIds: e.eventIds }) });
const DECISION = ${DECISION};
${body}
console.log(JSON.stringify({ result, errors, stats: log.stats() }));
`;

interface Outcome<T> {
  readonly result: T;
  readonly errors: { code: string; message: string; serverCode?: string; eventIds?: string[] }[];
  readonly stats: Record<string, number>;
}

async function run<T>(options: string, body: string, env: Record<string, string> = {}) {
  const result = await runScript(program(options, body), env);
  expect(result.code, result.stderr).toBe(0);
  return lastJson<Outcome<T>>(result);
}

describe('@declog/sdk in embedded mode ({ db })', () => {
  it('stores every event exactly once in the SQLite file, batched as over HTTP', async () => {
    const db = tmp.file('once.db');
    const producer = await runProducer({
      count: 3000,
      prefix: 'once',
      paceEvery: 500,
      paceMs: 20,
      options: { db, maxBatchEvents: 200 },
    });
    expect(producer.errors()).toEqual([]);
    expect(producer.stats()).toMatchObject({ queued: 0, sent: 3000, dropped: 0, rejected: 0 });
    expectExactlyOnce(await idsInDb(db), range('once', 0, 3000));
    const got = await runCli(['get', 'once-2999', '--db', db, '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ decision: { id: 'once-2999', seq: 2999 } });
  });

  it('lets two producer processes append to one file at once: each event once, the log whole', async () => {
    const db = tmp.file('shared.db');
    const producers = ['left', 'right'].map((prefix) =>
      runProducer({
        count: 2000,
        prefix,
        paceEvery: 200,
        paceMs: 5,
        options: { db, maxBatchEvents: 100 },
      }),
    );
    for (const producer of await Promise.all(producers)) {
      expect(producer.stats()).toMatchObject({ sent: 2000, dropped: 0, rejected: 0 });
    }
    expectExactlyOnce(await idsInDb(db), [...range('left', 0, 2000), ...range('right', 0, 2000)]);
    const verified = await runCli(['verify', '--db', db]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('ok 4000 entries');
  });

  it('acknowledges only what SQLite committed: a producer SIGKILLed mid-stream and restarted leaves every event stored once', async () => {
    const db = tmp.file('kill.db');
    const config = {
      count: 6000,
      prefix: 'kill',
      fixedTimes: true,
      flushEvery: 100,
      paceEvery: 100,
      paceMs: 10,
      options: { db, maxBatchEvents: 100 },
    };
    const first = startProducer(config);
    await waitFor(
      'the producer to have 1000 events acknowledged',
      () => first.durable() >= 1000,
      30_000,
    );
    first.kill('SIGKILL');
    const status = await first.exited;
    expect(status.signal, first.output()).toBe('SIGKILL');
    const durable = first.durable();
    expect(durable).toBeLessThan(6000);
    // Whatever flush() acknowledged is in the file; the rest died in the process's memory.
    const afterKill = await idsInDb(db);
    const acknowledged = range('kill', 0, durable);
    expectExactlyOnce(
      afterKill,
      afterKill.length >= durable
        ? [...acknowledged, ...afterKill.filter((id) => !acknowledged.includes(id))]
        : acknowledged,
    );
    // The service starts again and logs the same work, with the same ids and content: what the
    // killed process stored is answered as a duplicate, the rest is stored, each event once.
    const second = await runProducer(config);
    expect(second.errors()).toEqual([]);
    expect(second.stats()).toMatchObject({ queued: 0, sent: 6000, dropped: 0, rejected: 0 });
    expectExactlyOnce(await idsInDb(db), range('kill', 0, 6000));
    // The log and everything kept beside it (the decision index a killed writer left behind
    // included) agree, as an auditor checks them.
    const verified = await runCli(['verify', '--db', db]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('ok 6000 entries');
  });

  it('with spoolMode always, replays the spool of a producer SIGKILLed mid-stream into the database: stored once', async () => {
    const db = tmp.file('spooled.db');
    const options = { db, spoolDir: tmp.file('spool'), spoolMode: 'always', maxBatchEvents: 50 };
    const first = startProducer({
      count: 100_000,
      prefix: 'spooled',
      flushEvery: 50,
      paceEvery: 50,
      paceMs: 5,
      options,
    });
    await waitFor(
      'the producer to have 500 events acknowledged',
      () => first.durable() >= 500,
      30_000,
    );
    first.kill('SIGKILL');
    await first.exited;
    const durable = first.durable();
    // The same program restarted with the same spool stores what the first one left there.
    const second = await runProducer({ count: 0, prefix: 'spooled', options });
    expect(second.stats()).toMatchObject({ spoolPending: 0, dropped: 0, rejected: 0 });
    const stored = await idsInDb(db);
    const acknowledged = new Set(range('spooled', 0, durable));
    const beyond = stored.filter((id) => !acknowledged.has(id));
    expectExactlyOnce(stored, [...acknowledged, ...beyond]);
    const produced = new Set(range('spooled', 0, 100_000));
    expect(beyond.every((id) => produced.has(id))).toBe(true);
  });

  it('stores what a script that never calls close() logged before it exits', async () => {
    const db = tmp.file('no-close.db');
    const result = await runScript(`
import { createDecisionLog } from '@declog/sdk';
const log = createDecisionLog({ db: ${JSON.stringify(db)} });
for (let i = 0; i < 700; i += 1) log.decision({ id: 'no-close-' + i, ${DECISION.slice(1)});
`);
    expect(result.code, result.stderr).toBe(0);
    expectExactlyOnce(await idsInDb(db), range('no-close', 0, 700));
  });

  it('reports a database that cannot be opened through onError, never by throwing, and leaves the file alone', async () => {
    const garbage = tmp.file('garbage.db');
    const bytes = Buffer.from(
      'this is not a database, but it must survive being offered as one\n'.repeat(80),
    );
    writeFileSync(garbage, bytes);
    const missing = tmp.file('no-such-folder/log.db');
    const body = `
const id = log.decision(DECISION);
const flushed = await log.flush({ timeoutMs: 1500 });
await log.close({ timeoutMs: 200 });
const result = { id, flushed };
`;
    for (const [db, why] of [
      [garbage, 'file is not a database'],
      [missing, 'Cannot open database because the directory does not exist'],
    ] as const) {
      const { result, errors, stats } = await run<{ id: string; flushed: boolean }>(
        `{ db: ${JSON.stringify(db)}, retryBaseDelayMs: 50 }`,
        body,
      );
      expect(result.flushed).toBe(false);
      const unavailable = errors.filter((e) => e.code === 'db_unavailable');
      expect(unavailable.length, JSON.stringify(errors)).toBeGreaterThan(0);
      expect(unavailable[0]?.message).toBe(`cannot open the database at ${db}: ${why}`);
      expect(errors.at(-1)).toMatchObject({ code: 'unsent_at_close', eventIds: [result.id] });
      expect(stats).toMatchObject({ sent: 0, dropped: 1, queued: 0 });
    }
    expect(readFileSync(garbage)).toEqual(bytes);
    expect(existsSync(tmp.file('no-such-folder'))).toBe(false);
  });

  it('writes to the tenant it is given, and names a tenant the database does not know', async () => {
    const db = tmp.file('tenants.db');
    const created = await runCli([
      'keys',
      'create',
      '--db',
      db,
      '--tenant',
      'acme',
      '--role',
      'producer',
      '--name',
      'service',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const body = `
const id = log.decision(DECISION);
await log.flush({ timeoutMs: 5000 });
await log.close({ timeoutMs: 200 });
const result = id;
`;
    const stored = await run<string>(`{ db: ${JSON.stringify(db)}, tenant: 'acme' }`, body);
    expect(stored.errors).toEqual([]);
    expect(stored.stats).toMatchObject({ sent: 1 });
    const inAcme = await runCli(['get', stored.result, '--db', db, '--tenant', 'acme', '--json']);
    expect(inAcme.code, inAcme.stderr).toBe(0);
    expect((await runCli(['get', stored.result, '--db', db])).code).not.toBe(0);

    const unknown = await run<string>(`{ db: ${JSON.stringify(db)}, tenant: 'nobody' }`, body);
    expect(unknown.errors[0]).toMatchObject({
      code: 'db_unavailable',
      message: `cannot open the database at ${db}: no tenant nobody`,
    });
    expect(unknown.stats).toMatchObject({ sent: 0, dropped: 1 });
  });

  it('seals personal values under the database’s master key as declog ingest --db does, from a file beside it or the key given', async () => {
    const db = tmp.file('sealed.db');
    const body = `
const id = log.decision({ ...DECISION, subject: { id: 'cust-' + Math.random() } });
await log.close();
const result = id;
`;
    const beside = await run<string>(`{ db: ${JSON.stringify(db)} }`, body);
    expect(beside.errors).toEqual([]);
    expect(statSync(`${db}.master-key`).mode & 0o777).toBe(0o600);
    const files = [db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f, 'latin1'));
    expect(files.some((text) => text.includes('ann@example.com'))).toBe(false);
    const got = await runCli(['get', beside.result, '--db', db, '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({
      decision: { input: { features: { email: 'ann@example.com' } } },
    });

    // A key given as text (as $DECLOG_MASTER_KEY holds it): no file is made beside the database.
    const keyed = tmp.file('keyed.db');
    const key = randomBytes(32).toString('hex');
    const given = await run<string>(`{ db: ${JSON.stringify(keyed)}, masterKey: '${key}' }`, body);
    expect(given.errors).toEqual([]);
    expect(existsSync(`${keyed}.master-key`)).toBe(false);
    const withKey = await runCli(['get', given.result, '--db', keyed, '--json'], {
      env: { DECLOG_MASTER_KEY: key },
    });
    expect(JSON.parse(withKey.stdout)).toMatchObject({
      decision: { input: { features: { email: 'ann@example.com' } } },
    });
    // Another key is refused, as the CLI refuses it: the database pinned the first one.
    const other = await run<string>(
      `{ db: ${JSON.stringify(keyed)}, masterKey: '${randomBytes(32).toString('hex')}' }`,
      'log.decision(DECISION); await log.flush({ timeoutMs: 1500 }); await log.close({ timeoutMs: 200 }); const result = null;',
    );
    expect(other.errors[0]?.code).toBe('db_unavailable');
    expect(other.errors[0]?.message).toMatch(/master key/);
  });

  it('dead-letters an event the log refuses (a reused id) and stores the rest, as over HTTP', async () => {
    const db = tmp.file('refused.db');
    const { result, errors, stats } = await run<string[]>(
      `{ db: ${JSON.stringify(db)} }`,
      `
log.decision({ ...DECISION, id: 'reused' });
await log.flush();
log.decision({ ...DECISION, id: 'reused', prediction: { label: 'decline' } });
const other = log.decision(DECISION);
await log.close();
const result = [other];
`,
    );
    expect(stats).toMatchObject({ sent: 2, rejected: 1, dropped: 0, queued: 0 });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'dead_lettered',
        serverCode: 'id_conflict',
        eventIds: ['reused'],
      }),
    ]);
    expectExactlyOnce(await idsInDb(db), ['reused', ...result]);
  });

  it('keeps SQLite and the server off the caller’s thread: no native module loads there', async () => {
    const db = tmp.file('thread.db');
    const { result } = await run<{ native: string[]; sent: number }>(
      `{ db: ${JSON.stringify(db)}, maxBatchEvents: 500 }`,
      `
// Native modules load through process.dlopen; the database's thread has a process of its own.
const native = [];
const dlopen = process.dlopen;
process.dlopen = (module, file, ...rest) => { native.push(file); return dlopen.call(process, module, file, ...rest); };
for (let i = 0; i < 2000; i += 1) log.decision(DECISION);
await log.close();
const result = { native, sent: log.stats().sent };
`,
    );
    expect(result.sent).toBe(2000);
    expect(result.native).toEqual([]);
  });
});
