import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  haltPostgres,
  resumePostgres,
  startPostgres,
  stopPostgres,
} from '../../scripts/test-postgres.mjs';
import { killChildProcesses } from '../helpers/child-processes.js';
import { withPostgres } from '../helpers/postgres.js';
import { startServer } from '../helpers/server-process.js';
import { useTempDir } from '../helpers/temp-dir.js';

// GET /healthz says the server serves; GET /readyz that its store answers. Neither needs a
// key, and /healthz never waits on the store.

const tmp = useTempDir('health-probes');

// A cluster of this file's own, halted and resumed below; the shared one must stay up.
let cluster = { url: '', dir: '' };
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await killChildProcesses();
  if (cluster.dir) stopPostgres(cluster.dir);
});

interface Probe {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
  readonly headers: Headers;
}

async function probe(url: string, path: string): Promise<Probe> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`);
  const body: unknown = await response.json();
  return {
    status: response.status,
    body,
    ms: performance.now() - started,
    headers: response.headers,
  };
}

describe('the health probes', () => {
  it('answer without a key: /healthz while serving, /readyz 200 while the store answers and 503 while it does not', async () => {
    await withPostgres(cluster.url, (client) => client.query('CREATE DATABASE declog_probes'));
    const url = cluster.url.replace(/\/postgres$/, '/declog_probes');
    const server = await startServer(['--store', url, '--port', '0'], { cwd: tmp.path });

    const healthy = await probe(server.url, '/healthz');
    expect(healthy).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(healthy.headers.get('cache-control')).toBe('no-store');
    expect(await probe(server.url, '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', store: 'ok' },
    });

    await haltPostgres(cluster.dir);
    try {
      const unready = await probe(server.url, '/readyz');
      expect(unready).toMatchObject({
        status: 503,
        body: { status: 'unavailable', store: expect.any(String) },
      });
      // Nothing of the store's address or the driver's words.
      expect(JSON.stringify(unready.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres/i);
      expect(unready.ms, '/readyz waits at most 2 s for the store').toBeLessThan(2_500);
      const live = await probe(server.url, '/healthz');
      expect(live.status, '/healthz while the store is down').toBe(200);
      expect(live.ms).toBeLessThan(500);
    } finally {
      await resumePostgres(cluster.dir);
    }
    // Ready again once the pool reconnects.
    let again = await probe(server.url, '/readyz');
    for (let i = 0; again.status !== 200 && i < 40; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      again = await probe(server.url, '/readyz');
    }
    expect(again).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
