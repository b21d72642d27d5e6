import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, TEST_ADMIN_KEY } from './helpers/admin-key.js';
import { killChildProcesses } from './helpers/child-processes.js';
import { freePort } from './helpers/free-port.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { useTempDir } from './helpers/temp-dir.js';
import { waitFor } from './helpers/wait-for.js';
import { startFaultProxy } from './sdk/fault-proxy.js';
import { runProducer, startProducer } from './sdk/producer-process.js';
import { expectExactlyOnce, range, storedIds } from './sdk/stored-ids.js';

// The SDK as a user meets it: the built @declog/sdk imported by a separate producer process
// (test/sdk/producer.mjs), a real `declog serve`, and faults injected by killing processes or
// by a proxy (test/sdk/fault-proxy.ts). Each test ends with every event stored exactly once,
// read back through GET /v1/events.

const tmp = useTempDir('sdk-faults');
afterAll(killChildProcesses);

let serial = 0;
async function freshServer(port?: number): Promise<{ server: ServerProcess; db: string }> {
  serial += 1;
  const db = tmp.file(`log-${serial}.db`);
  const server = await startServer(['--db', db, '--port', String(port ?? 0)]);
  return { server, db };
}

const FAST_RETRIES = { retryBaseDelayMs: 50, retryMaxDelayMs: 1000, closeTimeoutMs: 30_000 };

describe('the SDK against a real server, under faults', () => {
  it('survives the server being SIGKILLed mid-stream and restarted: every event stored once', async () => {
    const port = await freePort();
    const { server, db } = await freshServer(port);
    const url = server.url;
    const producer = startProducer({
      url,
      apiKey: TEST_ADMIN_KEY,
      count: 3000,
      prefix: 'kill-server',
      paceEvery: 100,
      paceMs: 50,
      options: { ...FAST_RETRIES, spoolDir: tmp.file('spool-kill-server'), maxBatchEvents: 100 },
    });
    await until(
      '500 events to be stored',
      async () => (await fetch(`${url}/v1/events/500`, { headers: ADMIN_AUTH })).status === 200,
    );
    await server.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restarted = await startServer(['--db', db, '--port', String(port)]);
    const status = await producer.exited;
    expect(status.code, producer.output()).toBe(0);
    expect(producer.errors().some((e) => e.code === 'delivery_failed')).toBe(true);
    const stats = producer.stats();
    expect(stats).toMatchObject({ queued: 0, dropped: 0, rejected: 0, spoolPending: 0 });
    expectExactlyOnce(await storedIds(restarted.url), range('kill-server', 0, 3000));
    await restarted.stop();
  });

  it('replays the spool of a producer SIGKILLed mid-stream when it restarts: every durable event stored once', async () => {
    const { server } = await freshServer();
    const proxy = await startFaultProxy(server.url);
    proxy.mode = '503';
    const spoolDir = tmp.file('spool-kill-producer');
    const options = { ...FAST_RETRIES, spoolDir, maxBatchEvents: 50 };
    const first = startProducer({
      url: proxy.url,
      apiKey: TEST_ADMIN_KEY,
      count: 100_000,
      prefix: 'kill-producer',
      flushEvery: 50,
      paceEvery: 50,
      paceMs: 5,
      options,
    });
    await waitFor('the producer to spool 1000 events', () => first.durable() >= 1000, 30_000);
    first.kill('SIGKILL');
    await first.exited;
    const durable = first.durable();
    expect(readdirSync(spoolDir).some((name) => name.startsWith('segment-'))).toBe(true);
    proxy.mode = 'forward';
    // The same program restarted with the same spool: it replays what the first one left.
    const second = await runProducer({
      url: proxy.url,
      apiKey: TEST_ADMIN_KEY,
      count: 0,
      prefix: 'kill-producer',
      options,
    });
    expect(second.stats()).toMatchObject({ spoolPending: 0, dropped: 0, rejected: 0 });
    expect(second.stats()?.['replayed']).toBeGreaterThanOrEqual(durable);
    const stored = await storedIds(server.url);
    // Events after the last durable mark were in the killed process's memory: those that
    // reached the spool before the kill are stored too, never twice, never anything else.
    const produced = new Set(range('kill-producer', 0, 100_000));
    const durableIds = new Set(range('kill-producer', 0, durable));
    const beyond = stored.filter((id) => !durableIds.has(id));
    expectExactlyOnce(stored, [...durableIds, ...beyond]);
    expect(beyond.every((id) => produced.has(id))).toBe(true);
    await proxy.close();
    await server.stop();
  });

  it('waits out a server that answers 503 for 10 s, without a spool: every event stored once', async () => {
    const { server } = await freshServer();
    const proxy = await startFaultProxy(server.url);
    proxy.mode = '503';
    const producer = startProducer({
      url: proxy.url,
      apiKey: TEST_ADMIN_KEY,
      count: 2000,
      prefix: 'unavailable',
      options: { ...FAST_RETRIES, maxBatchEvents: 200 },
    });
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    proxy.mode = 'forward';
    const status = await producer.exited;
    expect(status.code, producer.output()).toBe(0);
    expect(proxy.counts['503']).toBeGreaterThan(3);
    expect(producer.stats()).toMatchObject({ queued: 0, sent: 2000, dropped: 0, rejected: 0 });
    expect(producer.errors().filter((e) => e.code === 'delivery_failed').length).toBeGreaterThan(3);
    expectExactlyOnce(await storedIds(server.url), range('unavailable', 0, 2000));
    await proxy.close();
    await server.stop();
  }, 90_000);

  it('resends a batch whose answer was lost (body accepted, connection dropped): stored once, answered duplicate', async () => {
    const { server } = await freshServer();
    const proxy = await startFaultProxy(server.url);
    proxy.mode = 'drop';
    const producer = startProducer({
      url: proxy.url,
      apiKey: TEST_ADMIN_KEY,
      count: 1000,
      prefix: 'lost-answer',
      options: { ...FAST_RETRIES, maxBatchEvents: 250 },
    });
    await waitFor('a dropped answer', () => proxy.counts.drop >= 2, 20_000);
    proxy.mode = 'forward';
    const status = await producer.exited;
    expect(status.code, producer.output()).toBe(0);
    expect(producer.stats()).toMatchObject({ queued: 0, sent: 1000, dropped: 0 });
    expect(producer.stats()?.['retried']).toBeGreaterThan(0);
    expectExactlyOnce(await storedIds(server.url), range('lost-answer', 0, 1000));
    await proxy.close();
    await server.stop();
  });

  it('reports a full disk under the spool through onError and stats(), loses nothing it does not name', async () => {
    const { server } = await freshServer();
    const proxy = await startFaultProxy(server.url);
    proxy.mode = '503';
    const spoolDir = tmp.file('spool-full');
    mkdirSync(spoolDir);
    // A real full disk (a 64 KiB tmpfs) when this process may mount one, else a size cap.
    const tmpfs = tryMountTmpfs(spoolDir, '64k');
    const producer = startProducer({
      url: proxy.url,
      apiKey: TEST_ADMIN_KEY,
      count: 3000,
      prefix: 'full-disk',
      paceEvery: 100,
      paceMs: 20,
      options: {
        ...FAST_RETRIES,
        spoolDir,
        maxBatchEvents: 100,
        maxQueueEvents: 500,
        ...(tmpfs ? {} : { spoolMaxBytes: 64 * 1024 }),
      },
    });
    try {
      await waitFor(
        'the spool to fill',
        () => producer.errors().some((e) => e.code === 'spool_full'),
        30_000,
      );
      await waitFor(
        'events to be dropped',
        () => producer.errors().some((e) => e.code === 'dropped'),
        30_000,
      );
      proxy.mode = 'forward';
      const status = await Promise.race([
        producer.exited,
        new Promise((r) => setTimeout(() => r('late'), 20_000)),
      ]);
      expect(status, producer.output()).toMatchObject({ code: 0 });
      const stats = producer.stats()!;
      const dropped = producer.errors().flatMap((e) => (e.code === 'dropped' ? e.eventIds : []));
      expect(stats['dropped']).toBe(dropped.length);
      expect(stats['dropped']).toBeGreaterThan(0);
      expect(stats['spooled']).toBeGreaterThan(0);
      expect(stats).toMatchObject({ queued: 0, spoolPending: 0, rejected: 0 });
      const gone = new Set(dropped);
      expectExactlyOnce(
        await storedIds(server.url),
        range('full-disk', 0, 3000).filter((id) => !gone.has(id)),
      );
    } finally {
      if (tmpfs) execFileSync('umount', [spoolDir]);
      await proxy.close();
      await server.stop();
    }
  });
});

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
