import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  haltPostgres,
  resumePostgres,
  startPostgres,
  stopPostgres,
} from '../scripts/test-postgres.mjs';
import { killChildProcesses } from './helpers/child-processes.js';
import { startIngestLoad } from './helpers/ingest-load.js';
import { loadOutcome } from './helpers/load-outcome.js';
import { withPostgres } from './helpers/postgres.js';
import { startServer, type ServerProcess } from './helpers/server-process.js';
import { writeSigningKey } from './helpers/signing-key-file.js';
import { readStoredLog } from './helpers/stored-log.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';
import { waitFor } from './helpers/wait-for.js';

const tmp = useTempDir('pg-faults');

// A cluster of this file's own: it is stopped and started again, and other files use theirs.
let cluster = { url: '', dir: '' };
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await killChildProcesses();
  if (cluster.dir) stopPostgres(cluster.dir);
});

/** A small seeded generator (mulberry32): the same moments for the same seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('loses nothing acknowledged when servers are killed at random moments and PostgreSQL restarts, all under load', async () => {
  const seed = Number(process.env['DECLOG_TEST_SEED'] ?? Date.now() % 100_000);
  const random = seeded(seed);
  const context = `seed ${seed} (DECLOG_TEST_SEED reruns it)`;

  await withPostgres(cluster.url, (client) => client.query('CREATE DATABASE declog_faults'));
  const url = cluster.url.replace(/\/postgres$/, '/declog_faults');
  const key = tmp.file('faults.key');
  writeSigningKey(key, 'example.org/declog/faults');
  const args = ['--store', url, '--signing-key', key, '--port', '0'];
  const start = () => startServer(args, { cwd: tmp.path });
  const first = await start();
  const slots: ServerProcess[] = [first, ...(await Promise.all([start(), start()]))];
  const everyServer = [...slots];
  // A batch is sent again, with the same ids, to whatever server holds its slot by then.
  const load = startIngestLoad({
    targets: 3,
    urlOf: (slot) => slots[slot]!.url,
    clientsPerTarget: 3,
    batchSize: 10,
    retry: { forMs: 60_000, pauseMs: 50 },
  });
  await waitFor('ingestion to be under way', () => load.acknowledged() >= 20, 30_000);

  // Servers die at random moments with batches in flight, and a new one takes each slot.
  const kills: { slot: number; from: number; to: number }[] = [];
  for (let k = 0; k < 4; k += 1) {
    await pause(200 + random() * 1_500);
    const slot = Math.floor(random() * 3);
    const from = performance.now();
    expect(await slots[slot]!.stop('SIGKILL'), context).toEqual({ code: null, signal: 'SIGKILL' });
    slots[slot] = await start();
    everyServer.push(slots[slot]!);
    kills.push({ slot, from, to: performance.now() });
  }
  const ackedBeforeRestart = load.acknowledged();
  await waitFor('ingestion to go on', () => load.acknowledged() >= ackedBeforeRestart + 20, 30_000);

  // PostgreSQL stops (fast: sessions are ended) and starts again while the load goes on.
  const haltedAt = performance.now();
  await haltPostgres(cluster.dir);
  await pause(500 + random() * 1_000);
  await resumePostgres(cluster.dir);
  const resumedAt = performance.now();
  const ackedAfterRestart = load.acknowledged();
  await waitFor('ingestion to go on', () => load.acknowledged() >= ackedAfterRestart + 20, 30_000);
  await load.stop();

  // Every answer was 200 or 503 store_unavailable; requests went unanswered only on a server
  // being killed (or until its slot had a new one).
  const wrongAnswers = load.failures.filter(
    (f) => f.status !== null && (f.status !== 503 || f.code !== 'store_unavailable'),
  );
  expect(wrongAnswers, context).toEqual([]);
  const unanswered = load.failures.filter(
    (f) =>
      f.status === null &&
      !kills.some((k) => k.slot === f.target && f.at >= k.from && f.at <= k.to + 2_000),
  );
  expect(unanswered, context).toEqual([]);
  expect(
    load.failures.some((f) => f.status === 503 && f.at >= haltedAt && f.at <= resumedAt + 5_000),
    'requests answered 503 while PostgreSQL was down',
  ).toBe(true);
  // Re-sent until acknowledged: every batch is, and none is stored twice or in part.
  expect(load.batches.filter((b) => b.outcome !== 'acknowledged').length, context).toBe(0);
  const log = await readStoredLog(url);
  const outcome = loadOutcome(load.batches, log);
  expect(outcome.problems, context).toEqual([]);
  expect(log.entries.length).toBe(outcome.acknowledgedEvents);

  for (const server of slots) expect(await server.stop()).toEqual({ code: 0, signal: null });
  for (const server of everyServer) expect(server.stderr(), context).not.toMatch(/internal error/);
  const audit = await verifyStore(url);
  expect(audit.size).toBe(log.entries.length);
}, 240_000);
