import { performance } from 'node:perf_hooks';
import { afterAll, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { request } from './helpers/http-api.js';
import { sendOneBatch, startIngestLoad, type LoadBatch } from './helpers/ingest-load.js';
import { loadOutcome } from './helpers/load-outcome.js';
import { waitForCheckpoints } from './helpers/log-checkpoints.js';
import { freshPostgresDatabase } from './helpers/postgres.js';
import { dumpDatabase, restoreDatabase } from './helpers/postgres-backup.js';
import { startServer } from './helpers/server-process.js';
import { writeSigningKey } from './helpers/signing-key-file.js';
import { readStoredLog } from './helpers/stored-log.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';
import { waitFor } from './helpers/wait-for.js';

const tmp = useTempDir('pg-backup');
afterAll(killChildProcesses);

/** A fresh database and the `declog serve` arguments for it and for its restored copies. */
async function newLog(name: string): Promise<{ url: string; args: (url: string) => string[] }> {
  const key = tmp.file(`${name}.key`);
  writeSigningKey(key, `example.org/declog/${name}`);
  return {
    url: await freshPostgresDatabase(),
    args: (url) => ['--store', url, '--signing-key', key, '--port', '0'],
  };
}

const highestSeq = (batches: readonly LoadBatch[]) =>
  Math.max(-1, ...batches.flatMap((batch) => batch.results.map((result) => result.seq)));

/** Ingests `rounds` rounds of batches through `url`, each round then covered by a checkpoint. */
async function ingestInRounds(url: string, rounds: number): Promise<LoadBatch[]> {
  const batches: LoadBatch[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const load = startIngestLoad({
      targets: 1,
      urlOf: () => url,
      clientsPerTarget: 2,
      batchSize: 10,
      maxBatchesPerClient: 4,
    });
    await load.done;
    expect(load.failures).toEqual([]);
    batches.push(...load.batches);
    await waitForCheckpoints([url], highestSeq(batches) + 1);
  }
  return batches;
}

it('restores a pg_dump that verifies to the same root, and a server on it continues the log', async () => {
  const { url, args } = await newLog('dump');
  const original = await startServer(args(url));
  const batches = await ingestInRounds(original.url, 3);
  const before = await verifyStore(url);
  const originalLog = await readStoredLog(url);
  expect(loadOutcome(batches, originalLog).problems).toEqual([]);
  expect(originalLog.checkpointSizes).toHaveLength(before.checkpoints);
  expect(before.checkpoints).toBeGreaterThanOrEqual(4);

  // Backed up online, while its server runs.
  const dump = tmp.file('log.dump');
  await dumpDatabase(url, dump);
  const restoredUrl = await restoreDatabase(dump);
  const restored = await verifyStore(restoredUrl);
  expect({ ...restored, result: null }).toEqual({ ...before, result: null });
  expect(await readStoredLog(restoredUrl)).toEqual(originalLog);

  // A server on the restored database, with the log's key, appends at the next seq.
  const successor = await startServer(args(restoredUrl));
  const n = originalLog.entries.length;
  const { batch } = await sendOneBatch(successor.url, 5);
  expect(batch.results.map((r) => [r.seq, r.status])).toEqual(
    [0, 1, 2, 3, 4].map((i) => [n + i, 'created']),
  );
  await waitForCheckpoints([successor.url], n + 5);
  // It serves the old checkpoints as they were signed, and they still verify.
  for (const size of originalLog.checkpointSizes) {
    const path = `/v1/log/checkpoint?size=${size}`;
    const [was, is] = [await request(original.url, path), await request(successor.url, path)];
    expect([is.status, is.body]).toEqual([200, was.body]);
  }
  const continued = await verifyStore(restoredUrl);
  expect(continued.size).toBe(n + 5);
  expect(continued.checkpoints).toBe(before.checkpoints + 1);
  const restoredLog = await readStoredLog(restoredUrl);
  expect(loadOutcome([...batches, batch], restoredLog).problems).toEqual([]);
  // The original is untouched by its copy's growth.
  expect(await readStoredLog(url)).toEqual(originalLog);

  for (const server of [original, successor]) {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }
});

it('takes a consistent pg_dump while two servers ingest: the restored log is a verified prefix', async () => {
  const { url, args } = await newLog('online');
  const servers = await Promise.all([0, 1].map(() => startServer(args(url))));
  const load = startIngestLoad({
    targets: 2,
    urlOf: (i) => servers[i]!.url,
    clientsPerTarget: 2,
    batchSize: 10,
  });
  await waitFor('ingestion to be under way', () => load.acknowledged() >= 20);
  const dumpStarted = performance.now();
  const dump = tmp.file('online.dump');
  await dumpDatabase(url, dump);
  const ackedDuringDump = load.acknowledged();
  await load.stop();
  expect(load.failures).toEqual([]);

  const restoredUrl = await restoreDatabase(dump);
  const snapshot = await verifyStore(restoredUrl);
  const copy = await readStoredLog(restoredUrl);
  const originalLog = await readStoredLog(url);
  expect(loadOutcome(load.batches, originalLog).problems).toEqual([]);
  // The copy is the log as it was at one moment: a prefix of it, with its checkpoints.
  expect(copy.entries.length).toBe(snapshot.size);
  expect(copy.size).toBe(snapshot.size);
  expect(copy.entries).toEqual(originalLog.entries.slice(0, snapshot.size));
  expect(originalLog.checkpointSizes.slice(0, copy.checkpointSizes.length)).toEqual(
    copy.checkpointSizes,
  );
  // Everything acknowledged before the dump began is in it; the log went on growing after.
  const ackedBefore = load.batches.filter((b) => b.ackedAt !== null && b.ackedAt < dumpStarted);
  expect(snapshot.size).toBeGreaterThan(highestSeq(ackedBefore));
  expect(originalLog.entries.length).toBeGreaterThan(snapshot.size);
  expect(ackedDuringDump).toBeGreaterThan(0);

  await verifyStore(url);
  for (const server of servers) expect(await server.stop()).toEqual({ code: 0, signal: null });
});
