import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../helpers/admin-key.js';
import { killChildProcesses, trackChild } from '../helpers/child-processes.js';
import { startServer } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';

// Node accepts one new connection per turn of its event loop: when a turn runs the work of
// every request in flight, a probe on a new connection waits for seconds behind the
// connections queued before it. Turns that run a few milliseconds of work keep it short.

const tmp = useTempDir('probes-under-load');
afterAll(killChildProcesses);

/** 200 writers on connections of their own, each posting batches of sealed decisions. */
const WRITERS = `
const http = require('node:http');
const [url, key] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
let n = 0;
const batch = () => JSON.stringify({ events: Array.from({ length: 100 }, () => ({
  type: 'decision', occurred_at: '2026-01-01T00:00:00Z', model: { name: 'm', version: '1' },
  prediction: { label: 'a' }, confidence: 0.5, rationale: { summary: 's' },
  subject: { id: 's-' + (n++ % 5000) }, input: { features: { a: n, b: 'x'.repeat(200) } } })) });
const post = () => new Promise((resolve) => {
  const text = batch();
  const r = http.request(url + '/v1/events', { method: 'POST', agent, headers: {
    authorization: 'Bearer ' + key, 'content-type': 'application/json' } }, (res) => {
    res.resume(); res.on('end', resolve); });
  r.on('error', resolve); r.end(text);
});
for (let i = 0; i < 200; i += 1) (async () => { for (;;) await post(); })();
`;

/** GET /healthz on a new connection: milliseconds to the answer. */
function probe(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('health probes under 200 concurrent writers', () => {
  it('are answered on new connections within a fraction of a second', async () => {
    const server = await startServer(['--db', tmp.file('load.db'), '--port', '0']);
    const writers = spawn(process.execPath, ['-e', WRITERS, server.url, TEST_ADMIN_KEY], {
      stdio: 'ignore',
    });
    void trackChild(writers);
    try {
      // The writers connect at once; probing starts while their connections are taken in.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const probes: number[] = [];
      const until = performance.now() + 5_000;
      while (performance.now() < until) {
        probes.push(await probe(server.url));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      probes.sort((a, b) => a - b);
      const median = probes[Math.floor(probes.length / 2)] ?? Infinity;
      // Before turns were bounded, a probe waited 7 to 60 s and the median was seconds.
      expect(median).toBeLessThan(250);
      expect(probes.at(-1)).toBeLessThan(2_000);
    } finally {
      writers.kill('SIGKILL');
    }
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
