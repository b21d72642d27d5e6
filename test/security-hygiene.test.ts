import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { decisionEvent } from './helpers/event-factory.js';
import {
  expectApiError,
  request,
  withAuthorization,
  type ApiResponse,
  type Json,
} from './helpers/http-api.js';
import { dumpDatabaseText } from './helpers/postgres-backup.js';
import { runCli } from './helpers/run-cli.js';
import type { ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { STORE_KIND, startServerOn, testStore, type TestStore } from './helpers/test-store.js';

// What docs/governance.md promises under "Security hygiene", checked from outside: real
// `declog serve` processes, real HTTP, and the bytes the store keeps.

const tmp = useTempDir('security-hygiene');
afterAll(killChildProcesses);

/** The printed line of a generated bootstrap key, then the key on the next line. */
const GENERATED_NOTICE = 'declog: created the admin API key (shown only now; keep it safe):';
const GENERATED_KEY = new RegExp(`${GENERATED_NOTICE.replace(/[()]/g, '\\$&')}\\n  (\\S+)\\n`);

interface CreatedKey {
  readonly id: string;
  readonly key: string;
}

interface RawAnswer extends ApiResponse<Json> {
  readonly headers: Headers;
}

/** A request with `key` as its bearer, keeping the answer's headers. */
async function send(
  url: string,
  key: string,
  path: string,
  init: RequestInit = {},
): Promise<RawAnswer> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  const response = await fetch(`${url}${path}`, { ...init, headers });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    body: parseJson(text),
  };
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return { text };
  }
}

/** `POST /v1/keys` by `by` (the test admin key unless given); the answer must be 201. */
async function createKey(
  url: string,
  body: Record<string, string>,
  by?: string,
): Promise<CreatedKey> {
  const answer = await request(url, '/v1/keys', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(by !== undefined ? { authorization: `Bearer ${by}` } : {}),
    },
    body: JSON.stringify(body),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as unknown as CreatedKey;
}

function postDecision(url: string, key: string): Promise<RawAnswer> {
  return send(url, key, '/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [decisionEvent()] }),
  });
}

interface Burst {
  readonly answers: readonly RawAnswer[];
  readonly served: number;
  readonly limited: number;
  readonly ms: number;
  /** What a bucket of `burst` refilled at `rate` a second may serve in the burst's time. */
  allowed(burst: number, rate: number): number;
}

/** `count` requests sent at once; counts the 200 and 429 answers (anything else fails). */
async function timedBurst(count: number, send: () => Promise<RawAnswer>): Promise<Burst> {
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: count }, send));
  const ms = Math.round(performance.now() - started);
  const other = answers.filter((answer) => answer.status !== 200 && answer.status !== 429);
  expect(other.map((answer) => answer.body)).toEqual([]);
  const served = answers.filter((answer) => answer.status === 200).length;
  return {
    answers,
    served,
    limited: count - served,
    ms,
    allowed: (burst, rate) => Math.min(count, burst + Math.floor((ms / 1000) * rate)),
  };
}

/** A burst served `burst` requests (plus what refilled meanwhile), then answered 429. */
function expectServed(answers: Burst, burst: number, rate: number, what: string): void {
  const message = `${what}: ${answers.served} of ${answers.answers.length} sent at once served in ${answers.ms} ms, with a burst of ${burst} at ${rate}/s`;
  expect(answers.served, message).toBeGreaterThanOrEqual(burst);
  expect(answers.served, message).toBeLessThanOrEqual(answers.allowed(burst, rate));
  expect(answers.limited, message).toBeGreaterThan(0);
}

/** Everything the store keeps: the SQLite file and its WAL, or a plain pg_dump. */
function storedBytes(store: TestStore): Promise<Buffer> {
  if (STORE_KIND === 'postgres') return dumpDatabaseText(store.location).then(Buffer.from);
  const file = store.location.replace(/^sqlite:/, '');
  const files = [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path));
  return Promise.resolve(Buffer.concat(files.map((path) => readFileSync(path))));
}

/** How a key's hash appears in `storedBytes`: raw in SQLite, hex in a pg_dump (bytea). */
function storedHash(keyText: string): Buffer {
  const digest = createHash('sha256').update(keyText, 'utf8').digest();
  return STORE_KIND === 'postgres' ? Buffer.from(digest.toString('hex')) : digest;
}

/** The random part of a key `dlk_<id>_<secret>` (the id has no `_`; the secret may). */
const secretOf = (keyText: string) => keyText.slice(keyText.indexOf('_', 'dlk_'.length) + 1);

describe('rate limits per key', () => {
  let server: ServerProcess;
  let first: CreatedKey;
  let second: CreatedKey;
  beforeAll(async () => {
    server = await startServerOn(await testStore(tmp, 'rate'), [
      '--rate-limit-reads',
      '5',
      '--rate-limit-writes',
      '2',
    ]);
    first = await createKey(server.url, { role: 'producer', name: 'first producer' });
    second = await createKey(server.url, { role: 'producer', name: 'second producer' });
  });
  afterAll(() => server?.stop());

  it('serves a burst of twice the rate, then 429 rate_limited with Retry-After, per key and kind', async () => {
    // Sent at once; the bucket still refills at 5 a second meanwhile, which a slow machine
    // may turn into an extra answer or two: allow exactly those.
    const burst = await timedBurst(20, () => send(server.url, first.key, '/v1/log/key'));
    expectServed(burst, 10, 5, 'reads of one key');
    const limited = burst.answers.filter((answer) => answer.status === 429);
    for (const answer of limited) {
      expectApiError(answer, 429, 'rate_limited');
      expect(answer.headers.get('retry-after'), 'Retry-After in whole seconds').toMatch(
        /^[1-9]\d*$/,
      );
    }
    // One more read token takes 200 ms at 5 a second: the server rounds up to 1 s.
    const retryAfter = Number(limited[0]?.headers.get('retry-after'));
    expect(retryAfter).toBe(1);

    expect((await send(server.url, second.key, '/v1/log/key')).status, 'another key').toBe(200);

    const writes = await timedBurst(10, () => postDecision(server.url, first.key));
    expectServed(writes, 4, 2, 'writes of the read-limited key');
    const limitedWrite = writes.answers.find((answer) => answer.status === 429);
    expect(limitedWrite?.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(limitedWrite?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((await postDecision(server.url, second.key)).status, 'writes of another key').toBe(200);

    // A client that waits as told is served again (a real server's clock: no fake one here).
    await sleep(retryAfter * 1000);
    expect((await send(server.url, first.key, '/v1/log/key')).status, 'after Retry-After').toBe(
      200,
    );
  });
});

describe('the bootstrap admin key', () => {
  it('is generated and printed once on a fresh store, kept across restarts, rotated by DECLOG_ADMIN_KEY', async () => {
    const store = await testStore(tmp, 'bootstrap');
    const unset = { DECLOG_ADMIN_KEY: '' };

    const firstRun = await startServerOn(store, [], unset);
    const printed = GENERATED_KEY.exec(firstRun.stdout());
    expect(printed, `stdout of the first start:\n${firstRun.stdout()}`).not.toBeNull();
    const generated = printed?.[1] ?? '';
    expect(generated).toMatch(/^dlk_admin_[A-Za-z0-9_-]{43}$/);
    expect((await send(firstRun.url, generated, '/v1/keys')).status).toBe(200);
    expectApiError(
      await request(firstRun.url, '/v1/keys'),
      401,
      'unauthorized', // the test admin key was not installed: the variable was empty
    );
    await firstRun.stop();
    expect(firstRun.stdout().split(generated).length - 1, 'times the key was printed').toBe(1);
    expect(firstRun.stderr()).not.toContain(secretOf(generated));

    const secondRun = await startServerOn(store, [], unset);
    expect(secondRun.stdout(), 'stdout of the second start').not.toContain('admin API key');
    expect(secondRun.stdout()).not.toContain(secretOf(generated));
    expect((await send(secondRun.url, generated, '/v1/keys')).status).toBe(200);
    await secondRun.stop();

    const rotated = 'rotated-admin-key-0123456789-abcdef';
    const thirdRun = await startServerOn(store, [], { DECLOG_ADMIN_KEY: rotated });
    expect(thirdRun.stdout()).not.toContain('admin API key');
    expect((await send(thirdRun.url, rotated, '/v1/keys')).status, 'the new key').toBe(200);
    expectApiError(
      await send(thirdRun.url, generated, '/v1/keys'),
      401,
      'unauthorized', // the generated key, replaced
    );
    await thirdRun.stop();
  });

  it('is not made by a first start that cannot listen: the next start prints it', async () => {
    const store = await testStore(tmp, 'port-taken');
    const unset = { DECLOG_ADMIN_KEY: '' };
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as AddressInfo).port);
    let failed;
    try {
      failed = await runCli(['serve', ...store.args, '--port', port], {
        cwd: store.cwd,
        env: unset,
        timeoutMs: 15_000,
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(failed.signal, 'killed: it did not exit by itself').toBeNull();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe(
      `declog: cannot listen on 127.0.0.1:${port}: the address is in use (another server?); ` +
        'choose another --port or stop the other server\n',
    );

    const next = await startServerOn(store, ['--port', port], unset);
    const generated = GENERATED_KEY.exec(next.stdout())?.[1] ?? '';
    expect(generated, `stdout of the next start:\n${next.stdout()}`).toMatch(/^dlk_admin_/);
    expect((await send(next.url, generated, '/v1/keys')).status).toBe(200);
    await next.stop();
  });

  it('refuses to start with a DECLOG_ADMIN_KEY under 24 characters, saying so', async () => {
    const store = await testStore(tmp, 'short-key');
    const result = await runCli(['serve', ...store.args, '--port', '0'], {
      cwd: store.cwd,
      env: { DECLOG_ADMIN_KEY: 'short-admin-key-12345' },
      timeoutMs: 15_000,
    });
    expect(result.stdout).not.toContain('declog serving');
    expect(result.signal, 'killed: it did not exit by itself').toBeNull();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DECLOG_ADMIN_KEY must be at least 24 characters');
  });
});

describe('no secrets at rest or in logs', () => {
  it('keeps only hashes of keys in the store, and prints no secret but the generated one, once', async () => {
    const store = await testStore(tmp, 'secrets');
    const server = await startServerOn(store, [], { DECLOG_ADMIN_KEY: '' });
    const generated = GENERATED_KEY.exec(server.stdout())?.[1] ?? '';
    expect(generated, server.stdout()).toMatch(/^dlk_admin_/);

    const made: CreatedKey[] = [];
    for (const [role, tenant] of [
      ['producer', 'default'],
      ['reviewer', 'acme'],
      ['auditor', 'acme'],
      ['admin', '*'],
    ] as const) {
      made.push(await createKey(server.url, { role, tenant, name: `${role} key` }, generated));
    }
    const revoked = made[1] as CreatedKey;
    expect(
      (await send(server.url, generated, `/v1/keys/${revoked.id}`, { method: 'DELETE' })).status,
    ).toBe(200);
    // Use each key once, and present a wrong one, so that any logging of keys would show.
    for (const key of made.slice(2)) {
      expect((await send(server.url, key.key, '/v1/log/key')).status).toBe(200);
    }
    const wrong = `dlk_${made[0]?.id ?? ''}_${'Q'.repeat(43)}`;
    expect((await send(server.url, wrong, '/v1/log/key')).status).toBe(401);
    const listed = JSON.stringify((await send(server.url, generated, '/v1/keys')).body);

    const secrets = [generated, ...made.map((key) => key.key)];
    const running = await storedBytes(store);
    await server.stop();
    const stopped = await storedBytes(store);
    // The search can find text the store does keep: the keys' names.
    expect(stopped.includes('auditor key'), 'a key name in the stored bytes').toBe(true);
    for (const [index, secret] of secrets.entries()) {
      const name = index === 0 ? 'the generated admin key' : `key ${made[index - 1]?.id}`;
      for (const [when, bytes] of [
        ['while serving', running],
        ['after stopping', stopped],
      ] as const) {
        expect(bytes.includes(secretOf(secret)), `secret of ${name} stored (${when})`).toBe(false);
      }
      expect(
        running.includes(storedHash(secret)) || stopped.includes(storedHash(secret)),
        `hash of ${name} stored`,
      ).toBe(true);
      expect(listed, `secret of ${name} listed`).not.toContain(secretOf(secret));
      expect(server.stderr(), `secret of ${name} on stderr`).not.toContain(secretOf(secret));
    }
    expect(stopped.includes(secretOf(wrong)), 'a refused key stored').toBe(false);
    expect(server.stderr()).not.toContain(secretOf(wrong));
    // stdout: the generated key once, by design, and nothing else secret.
    expect(server.stdout().split(secretOf(generated)).length - 1).toBe(1);
    for (const key of made) expect(server.stdout()).not.toContain(secretOf(key.key));
    expect(server.stdout()).not.toContain(secretOf(wrong));
  });
});

describe('a served store', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerOn(await testStore(tmp, 'served'));
  });
  afterAll(() => server?.stop());

  it('keeps CORS closed: no Access-Control-Allow-* header for another origin', async () => {
    const origin = 'https://evil.example';
    const get = await fetch(
      `${server.url}/v1/decisions`,
      withAuthorization({ headers: { origin } }),
    );
    expect(get.status).toBe(200);
    const preflight = await fetch(`${server.url}/v1/keys`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    for (const [name, response] of [
      ['GET', get],
      ['OPTIONS preflight', preflight],
    ] as const) {
      const cors = [...response.headers.keys()].filter((h) => h.startsWith('access-control-'));
      expect(cors, `CORS headers in the answer to ${name}`).toEqual([]);
    }
  });

  it('bounds key request bodies: 413 payload_too_large, and 400 invalid_json for malformed JSON', async () => {
    const post = (body: string) =>
      request(server.url, '/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const huge = `{"role":"auditor","name":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    expectApiError(await post(huge), 413, 'payload_too_large');
    expectApiError(await post('{"role": "auditor", "name": '), 400, 'invalid_json');
    expectApiError(await post('{"role": "auditor", name: "x"}'), 400, 'invalid_json');
  });

  it('refuses a wrong secret, a wrong id, a revoked key and a wrong bootstrap key alike', async () => {
    const good = await createKey(server.url, { role: 'auditor', name: 'auditor' });
    const other = await createKey(server.url, { role: 'auditor', name: 'other auditor' });
    const revoked = await createKey(server.url, { role: 'auditor', name: 'revoked auditor' });
    expect((await request(server.url, `/v1/keys/${revoked.id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await send(server.url, good.key, '/v1/decisions')).status, 'the right key').toBe(200);

    const secret = secretOf(good.key);
    expect(secret).toHaveLength(43);
    const flipped = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    const attempts: Record<string, string> = {
      'right id, wrong secret': `dlk_${good.id}_${flipped}`,
      'right secret, id of another key': `dlk_${other.id}_${secret}`,
      'right secret, unknown id': `dlk_0123456789ab_${secret}`,
      'a revoked key': revoked.key,
      'bootstrap form, wrong text': 'not-the-admin-key-0123456789-abcdef',
      'bootstrap form dlk_admin_, wrong secret': `dlk_admin_${secret}`,
    };
    const answers: Record<string, ApiResponse<unknown>> = {};
    for (const [name, key] of Object.entries(attempts)) {
      const answer = await request(server.url, '/v1/decisions', {
        headers: { authorization: `Bearer ${key}` },
      });
      expectApiError(answer, 401, 'unauthorized');
      answers[name] = answer;
    }
    const bodies = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [name, answer.body]),
    );
    const first = Object.values(bodies)[0];
    for (const [name, body] of Object.entries(bodies)) {
      expect(body, `answer to ${name}`).toEqual(first);
    }
  });
});
