import { performance } from 'node:perf_hooks';
import { afterAll, expect, it } from 'vitest';
import { killChildProcesses } from './helpers/child-processes.js';
import { startIngestLoad } from './helpers/ingest-load.js';
import { loadOutcome } from './helpers/load-outcome.js';
import { waitForCheckpoints } from './helpers/log-checkpoints.js';
import { freshPostgresDatabase } from './helpers/postgres.js';
import { startServer } from './helpers/server-process.js';
import { writeSigningKey } from './helpers/signing-key-file.js';
import { readStoredLog } from './helpers/stored-log.js';
import { useTempDir } from './helpers/temp-dir.js';
import { verifyStore } from './helpers/verify-store.js';
import { waitFor } from './helpers/wait-for.js';

const tmp = useTempDir('pg-servers');
afterAll(killChildProcesses);

/** A fresh database and the one signing key that all its servers share. */
async function sharedLog(name: string): Promise<{ url: string; args: string[] }> {
  const url = await freshPostgresDatabase();
  const key = tmp.file(`${name}.key`);
  writeSigningKey(key, `example.org/declog/${name}`);
  return { url, args: ['--store', url, '--signing-key', key, '--port', '0'] };
}

it('lets three servers ingest into one database at once: one gapless log, one tree', async () => {
  const { url, args } = await sharedLog('three');
  // Started together on an empty database: they race to migrate it and to fix its identity.
  const servers = await Promise.all([0, 1, 2].map(() => startServer(args)));
  const urls = servers.map((server) => server.url);
  const load = startIngestLoad({
    targets: 3,
    urlOf: (i) => urls[i]!,
    clientsPerTarget: 3,
    batchSize: 12,
    maxBatchesPerClient: 12,
  });
  await load.done;
  const lastAck = Math.max(...load.batches.map((batch) => batch.ackedAt ?? 0));
  expect(load.failures).toEqual([]);
  expect([0, 1, 2].map((i) => load.acknowledged(i))).toEqual([36, 36, 36]);
  expect(new Set(load.batches.map((batch) => batch.format))).toEqual(new Set(['json', 'ndjson']));

  const log = await readStoredLog(url);
  const outcome = loadOutcome(load.batches, log);
  expect(outcome.problems).toEqual([]);
  expect(outcome.acknowledgedEvents).toBe(3 * 3 * 12 * 12);
  expect(log.entries).toHaveLength(outcome.acknowledgedEvents);

  // Every server serves one and the same checkpoint of the whole log within a second.
  const n = log.entries.length;
  const { notes, seenAt } = await waitForCheckpoints(urls, n);
  expect(seenAt - lastAck, 'ms from the last acknowledgement to a checkpoint of it').toBeLessThan(
    1_000,
  );
  expect(notes.map((note) => note.size)).toEqual([n, n, n]);
  expect(new Set(notes.map((note) => note.text)).size).toBe(1);

  // The auditor rebuilds the tree: its root is the checkpoint's, and every checkpoint issued
  // while the log grew (by any server) is a root of that one tree.
  const audit = await verifyStore(url);
  expect(audit.size).toBe(n);
  expect(audit.root).toBe(notes[0]!.root);
  const stored = await readStoredLog(url);
  expect(audit.checkpoints).toBe(stored.checkpointSizes.length);
  expect(audit.checkpoints, 'checkpoints issued while the log grew').toBeGreaterThan(2);

  for (const server of servers) expect(await server.stop()).toEqual({ code: 0, signal: null });
});

it('keeps everything acknowledged when one of three servers is killed with batches in flight', async () => {
  const { url, args } = await sharedLog('kill');
  const servers = await Promise.all([0, 1, 2].map(() => startServer(args)));
  const urls = servers.map((server) => server.url);
  const load = startIngestLoad({
    targets: 3,
    urlOf: (i) => urls[i]!,
    clientsPerTarget: 3,
    batchSize: 8,
    // Enough for the survivors to go on while the killed server restarts, and no more.
    maxBatchesPerClient: 20,
  });
  await waitFor(
    'batches in flight on server 0',
    () => load.acknowledged(0) >= 10 && load.inFlight(0) >= 2,
  );
  const killedAt = performance.now();
  expect(await servers[0]!.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

  const survivorsBefore = load.acknowledged(1) + load.acknowledged(2);
  await waitFor(
    'the survivors to go on',
    () => load.acknowledged(1) + load.acknowledged(2) >= survivorsBefore + 30,
  );

  // Restarted, the killed server's slot continues the same log.
  const restarted = await startServer(args);
  const after = startIngestLoad({
    targets: 1,
    urlOf: () => restarted.url,
    clientsPerTarget: 2,
    batchSize: 8,
    maxBatchesPerClient: 5,
  });
  await after.done;
  await load.stop();
  expect(after.failures).toEqual([]);
  expect(after.acknowledged()).toBe(10);

  // Only the killed server left requests unanswered, and some were in flight when it died.
  const unanswered = load.batches.filter((batch) => batch.outcome !== 'acknowledged');
  expect(unanswered.length).toBeGreaterThan(0);
  expect(unanswered.every((batch) => batch.target === 0)).toBe(true);
  expect(load.failures.every((f) => f.target === 0 && f.status === null)).toBe(true);

  const batches = [...load.batches, ...after.batches];
  const log = await readStoredLog(url);
  const outcome = loadOutcome(batches, log);
  expect(outcome.problems).toEqual([]);
  expect(outcome.unacknowledgedStored + outcome.unacknowledgedAbsent).toBe(unanswered.length);

  const ackedBeforeKill = batches.filter((b) => b.ackedAt !== null && b.ackedAt < killedAt);
  const highestBeforeKill = Math.max(
    ...ackedBeforeKill.flatMap((b) => b.results.map((r) => r.seq)),
  );
  const firstAfter = Math.min(...after.batches.flatMap((b) => b.results.map((r) => r.seq)));
  expect(firstAfter).toBeGreaterThan(highestBeforeKill);

  const audit = await verifyStore(url);
  expect(audit.size).toBe(log.entries.length);
  expect(audit.checkpoints).toBeGreaterThan(2);
  for (const server of [servers[1]!, servers[2]!, restarted]) {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }
});
