import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH } from '../helpers/admin-key.js';
import { killChildProcesses } from '../helpers/child-processes.js';
import { request } from '../helpers/http-api.js';
import { collect, openSocket, rawExchange, type RawExchange } from '../helpers/raw-http.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startServerOn, testStore } from '../helpers/test-store.js';

// Unauthenticated clients must not be able to pin the server's memory or its connections: a
// request that may carry a body is refused from its headers, its body never read, and every
// connection is bounded in time (headers, whole request, idle) and in number.

const tmp = useTempDir('security-bodies');
afterAll(killChildProcesses);

/** The timeouts the servers of this file run with: short, so that the test waits for them. */
const HEADER_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const IDLE_TIMEOUT_MS = 1_000;
/** Node checks its timeouts at intervals (a tenth of the shorter one here); and a busy machine. */
const SLACK_MS = 1_500;

const TIMEOUT_FLAGS = [
  '--header-timeout',
  `${HEADER_TIMEOUT_MS}ms`,
  '--request-timeout',
  `${REQUEST_TIMEOUT_MS}ms`,
  '--idle-timeout',
  `${IDLE_TIMEOUT_MS}ms`,
];

/** The resident memory of a process, in MB (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}

/** Resolves when `socket` may be written again, or has closed. */
function writable(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}

/**
 * A client that announces a `declaredBytes` body to `path`, sends `burstBytes` of it as fast as
 * the server takes them, then one byte every 200 ms, until the server closes the connection.
 */
async function slowBody(
  url: string,
  options: {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: string;
    readonly declaredBytes: number;
    readonly burstBytes: number;
    readonly timeoutMs: number;
    readonly localAddress?: string;
  },
): Promise<RawExchange & { readonly sentBytes: number }> {
  const socket = await openSocket(url, options.localAddress);
  const started = performance.now();
  const ended = collect(socket, started, options.timeoutMs);
  socket.write(
    `${options.method ?? 'POST'} ${options.path ?? '/v1/events'} HTTP/1.1\r\nHost: declog.test\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${options.declaredBytes}\r\n` +
      `${options.headers ?? ''}\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  let closed = false;
  socket.once('close', () => (closed = true));
  while (sent < options.burstBytes && !closed) {
    sent += chunk.length;
    if (!socket.write(chunk)) await writable(socket);
  }
  const trickle = setInterval(() => {
    if (!closed) socket.write(' ');
  }, 200);
  try {
    return { ...(await ended), sentBytes: sent };
  } finally {
    clearInterval(trickle);
  }
}

describe('requests that may carry a body, without a valid key', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerOn(await testStore(tmp, 'flood'), TIMEOUT_FLAGS);
  });
  afterAll(() => server?.stop());

  it('are refused from their headers: 30 clients sending 9 MB bodies slowly pin no memory and are closed at once', async () => {
    // A few requests first, so that the baseline includes what serving itself takes.
    for (let i = 0; i < 5; i += 1) await request(server.url, '/v1/decisions');
    const before = rssMb(server.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 50);
    let clients;
    try {
      clients = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          slowBody(server.url, {
            headers: i % 2 === 0 ? '' : 'Authorization: Bearer dlk_0123456789ab_wrong\r\n',
            declaredBytes: 10 * 1024 * 1024 - 1,
            burstBytes: 9 * 1024 * 1024,
            timeoutMs: REQUEST_TIMEOUT_MS + SLACK_MS,
            // An address of its own: its failures must not limit the requests of this test.
            localAddress: '127.0.0.4',
          }),
        ),
      );
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - before;
    expect(
      growth,
      `RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at most`,
    ).toBeLessThan(60);
    // Each was answered from its headers and closed long before 9 MB could arrive.
    for (const client of clients) {
      expect(client.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
      expect(client.sentBytes).toBeLessThan(9 * 1024 * 1024);
      // The answer may be lost to the reset of a client still sending; any that arrives is
      // the refusal (401, or 429 once the address has failed too often).
      if (client.status !== null) expect([401, 429]).toContain(client.status);
    }
    expect(clients.filter((client) => client.status !== null).length).toBeGreaterThan(0);
    // The server still serves (other addresses).
    expect((await request(server.url, '/v1/decisions')).status).toBe(200);
  });

  it('with a key whose role may not call the route, are refused from the headers too', async () => {
    const auditor = await request<{ key: string }>(server.url, '/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'auditor', name: 'auditor of the flood' }),
    });
    expect(auditor.status).toBe(201);
    const refused = await slowBody(server.url, {
      path: '/v1/keys',
      headers: `Authorization: Bearer ${auditor.body.key}\r\n`,
      declaredBytes: 10 * 1024 * 1024 - 1,
      burstBytes: 4 * 1024 * 1024,
      timeoutMs: REQUEST_TIMEOUT_MS + SLACK_MS,
    });
    expect(refused.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    if (refused.status !== null) expect(refused.status).toBe(403);
  });
});

describe('the timeouts of a connection', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerOn(await testStore(tmp, 'timeouts'), TIMEOUT_FLAGS);
  });
  afterAll(() => server?.stop());

  it('close a connection whose headers do not arrive within --header-timeout, with 408', async () => {
    const answer = await rawExchange(
      server.url,
      'GET /v1/decisions HTTP/1.1\r\nHost: declog.test\r\n',
      HEADER_TIMEOUT_MS + SLACK_MS + 5_000,
    );
    expect(answer.status).toBe(408);
    expect(answer.json).toMatchObject({ error: { code: 'request_timeout' } });
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(HEADER_TIMEOUT_MS - 50);
    expect(answer.closedAfterMs).toBeLessThan(HEADER_TIMEOUT_MS + SLACK_MS);
  });

  it('close a connection that sends nothing at all within --header-timeout', async () => {
    const answer = await rawExchange(server.url, '', HEADER_TIMEOUT_MS + SLACK_MS + 5_000);
    expect(answer.closedAfterMs).toBeLessThan(HEADER_TIMEOUT_MS + SLACK_MS);
  });

  it('close an authenticated request whose body does not arrive within --request-timeout', async () => {
    const answer = await slowBody(server.url, {
      headers: `Authorization: ${ADMIN_AUTH.authorization}\r\n`,
      declaredBytes: 1024 * 1024,
      burstBytes: 64 * 1024,
      timeoutMs: REQUEST_TIMEOUT_MS + SLACK_MS + 5_000,
    });
    expect(answer.status).toBe(408);
    expect(answer.json).toMatchObject({ error: { code: 'request_timeout' } });
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(answer.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  });

  it('close a keep-alive connection idle for --idle-timeout', async () => {
    const socket = await openSocket(server.url);
    const started = performance.now();
    const ended = collect(socket, started, IDLE_TIMEOUT_MS + SLACK_MS + 5_000);
    socket.write('GET /healthz HTTP/1.1\r\nHost: declog.test\r\n\r\n');
    const answer = await ended;
    expect(answer.status).toBe(200);
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 50);
    // Node keeps an idle connection a second past the timeout it announces in Keep-Alive, so
    // that a client never sends on a connection the server is closing.
    expect(answer.closedAfterMs).toBeLessThan(IDLE_TIMEOUT_MS + 1_000 + SLACK_MS);
  });
});

describe('the connection cap', () => {
  it('closes connections over --max-connections as they arrive, and takes new ones once some close', async () => {
    const server = await startServerOn(await testStore(tmp, 'cap'), ['--max-connections', '4']);
    const held = await Promise.all(Array.from({ length: 4 }, () => openSocket(server.url)));
    // The server counts a connection once it has accepted it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const over = await rawExchange(
      server.url,
      'GET /healthz HTTP/1.1\r\nHost: declog.test\r\n\r\n',
      5_000,
    );
    expect(over.status, 'a fifth connection is served').toBeNull();
    expect(over.closedAfterMs).toBeLessThan(1_000);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await request(server.url, '/healthz')).status).toBe(200);
    await server.stop();
  });
});

/** GET `path` from the local address `localAddress` (127.0.0.x: all loopback on Linux). */
function getFrom(
  url: string,
  localAddress: string,
  path: string,
  authorization: string,
): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { localAddress, headers: { authorization }, agent: false },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('failed authentications', () => {
  it('are limited per client address: beyond the budget, 429 with Retry-After, whatever the key', async () => {
    const server = await startServerOn(await testStore(tmp, 'auth-failures'), [
      '--auth-failures-per-minute',
      '3',
    ]);
    const wrong = 'Bearer dlk_0123456789ab_wrongwrongwrongwrongwrongwrongwrongwrongwro';
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await getFrom(server.url, '127.0.0.2', '/v1/decisions', wrong)).status);
    }
    expect(statuses).toEqual([401, 401, 401]);
    const limited = await getFrom(server.url, '127.0.0.2', '/v1/decisions', wrong);
    expect(limited.status).toBe(429);
    // A token comes back every 20 s at 3 a minute.
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(20);
    // Even the right key is not tried from that address until then: a guess learns nothing.
    const right = await getFrom(server.url, '127.0.0.2', '/v1/decisions', ADMIN_AUTH.authorization);
    expect(right.status).toBe(429);
    // Another address is not affected.
    expect((await getFrom(server.url, '127.0.0.3', '/v1/decisions', wrong)).status).toBe(401);
    expect(
      (await getFrom(server.url, '127.0.0.3', '/v1/decisions', ADMIN_AUTH.authorization)).status,
    ).toBe(200);
    await server.stop();
  });
});
