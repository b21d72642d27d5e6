import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  haltPostgres,
  resumePostgres,
  startPostgres,
  stopPostgres,
} from '../scripts/test-postgres.mjs';
import { killChildProcesses } from './helpers/child-processes.js';
import { expectApiError, getJson } from './helpers/http-api.js';
import { sendOneBatch, startIngestLoad, type LoadBatch } from './helpers/ingest-load.js';
import { loadOutcome } from './helpers/load-outcome.js';
import { waitForCheckpoints } from './helpers/log-checkpoints.js';
import { withPostgres } from './helpers/postgres.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { writeSigningKey } from './helpers/signing-key-file.js';
import { readStoredLog } from './helpers/stored-log.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';
import { waitFor } from './helpers/wait-for.js';

const tmp = useTempDir('pg-restart');

// A cluster of this file's own: the shared one serves other test files and must stay up.
let cluster = { url: '', dir: '' };
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await killChildProcesses();
  if (cluster.dir) stopPostgres(cluster.dir);
});

/** Posts new batches to `url` until one is acknowledged; every batch sent, and how long it took. */
async function sendUntilAcknowledged(
  url: string,
  timeoutMs: number,
): Promise<{ batches: LoadBatch[]; ms: number }> {
  const started = performance.now();
  const batches: LoadBatch[] = [];
  for (;;) {
    const { batch } = await sendOneBatch(url, 3);
    batches.push(batch);
    if (batch.outcome === 'acknowledged') return { batches, ms: performance.now() - started };
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${url} did not serve again within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether the server process is still the one started (it never exited). */
function watchExit(server: ServerProcess): () => boolean {
  let exited = false;
  void server.exited.then(() => (exited = true));
  return () => exited;
}

it('serves again after PostgreSQL restarts under load, and loses nothing acknowledged', async () => {
  await withPostgres(cluster.url, (client) => client.query('CREATE DATABASE declog_restart'));
  const url = cluster.url.replace(/\/postgres$/, '/declog_restart');
  const key = tmp.file('restart.key');
  writeSigningKey(key, 'example.org/declog/restart');
  const args = ['--store', url, '--signing-key', key, '--port', '0'];
  const servers = await Promise.all([0, 1].map(() => startServer(args)));
  const urls = servers.map((server) => server.url);
  const exited = servers.map(watchExit);
  const load = startIngestLoad({
    targets: 2,
    urlOf: (i) => urls[i]!,
    clientsPerTarget: 3,
    batchSize: 12,
    retry: { forMs: 30_000, pauseMs: 50 },
  });
  await waitFor('ingestion to be under way', () => load.acknowledged() >= 30);

  const haltedAt = performance.now();
  await haltPostgres(cluster.dir);
  const probes: LoadBatch[] = [];
  // While the database is down, writes and reads are answered 503 store_unavailable.
  for (const [i, server] of urls.entries()) {
    const { batch, failure } = await sendOneBatch(server, 3);
    probes.push(batch);
    expect(failure, servers[i]!.stderr()).toMatchObject({ status: 503, code: 'store_unavailable' });
    expectApiError(await getJson(server, '/v1/log/checkpoint'), 503, 'store_unavailable');
    expectApiError(await getJson(server, '/v1/events/0'), 503, 'store_unavailable');
    expect((await getJson(server, '/healthz')).status).toBe(200);
  }
  await waitFor('every client to meet the outage', () => {
    const met = new Set(load.failures.filter((f) => f.at > haltedAt).map((f) => f.target));
    return met.size === 2;
  });
  // The checkpointer looks at the store every 250 ms: on an idle machine the halt and the
  // probes above can take less than that, and a restart between two looks goes unnoticed.
  // The database stays down until every server has noticed.
  await waitFor('every server to report the outage', () =>
    servers.every((server) => /store unavailable, checkpoints paused/.test(server.stderr())),
  );
  const ackedBeforeResume = load.acknowledged();
  await resumePostgres(cluster.dir);

  // The same server processes serve again within a few seconds, without being restarted.
  for (const server of urls) {
    const recovered = await sendUntilAcknowledged(server, 5_000);
    probes.push(...recovered.batches);
  }
  await waitFor('ingestion to go on', () => load.acknowledged() >= ackedBeforeResume + 30);
  await load.stop();
  expect(exited.map((hasExited) => hasExited())).toEqual([false, false]);

  const unexpected = load.failures.filter(
    (f) => f.status !== 503 || f.code !== 'store_unavailable',
  );
  expect(unexpected).toEqual([]);
  expect(load.failures.length, 'requests answered 503 during the outage').toBeGreaterThan(0);
  expect(load.batches.filter((batch) => batch.outcome !== 'acknowledged')).toEqual([]);
  expect(
    load.batches.some((batch) => batch.attempts > 1),
    'batches re-sent',
  ).toBe(true);

  const log = await readStoredLog(url);
  const outcome = loadOutcome([...load.batches, ...probes], log);
  expect(outcome.problems).toEqual([]);
  const n = log.entries.length;
  const { notes } = await waitForCheckpoints(urls, n);
  expect(notes.map((note) => note.size)).toEqual([n, n]);
  const audit = await verifyStore(url);
  expect(audit.size).toBe(n);
  expect(audit.root).toBe(notes[0]!.root);
  for (const server of servers) {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    // The outage is reported once, as such, and its end too; it is no internal error.
    const stderr = server.stderr();
    expect(stderr).not.toMatch(/internal error/);
    expect(stderr).toMatch(
      /store unavailable, checkpoints paused \(.+\)\n(.*\n)*.*checkpoints resumed/,
    );
  }
});
