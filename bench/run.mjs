// The benchmark: `npm run bench` (1,000,000 decisions) or `BENCH_DECISIONS=100000 npm run bench`;
// `BENCH_STORES=sqlite` or `BENCH_STORES=postgres` runs one store only; `BENCH_CONCURRENCY=N`
// keeps N ingest requests in flight instead of 2.
// Prints every figure beside a baseline measured in the same run and writes .bench/results.json.
// Missed targets are reported, not failed; the exit code is non-zero only when something broke.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBareStore } from './bare-store.mjs';
import { figures, postgresFigures, privacyFigures, sdkFigures } from './figures.mjs';
import { governancePhase } from './governance-phase.mjs';
import { httpClient } from './http-client.mjs';
import { ingestPhase } from './ingest-phase.mjs';
import { postgresBench } from './postgres-bench.mjs';
import { proofPhase } from './proof-phase.mjs';
import { queryPhase } from './query-phase.mjs';
import { readPhase } from './read-phase.mjs';
import { renderReport, renderTableSizes } from './render-report.mjs';
import { sdkPhase } from './sdk-phase.mjs';
import { startServer } from './server-process.mjs';
import { storedBytes } from './stored-bytes.mjs';
import { tableSizes } from './table-sizes.mjs';
import { verifyPhase } from './verify-phase.mjs';

const RESULTS = fileURLToPath(new URL('../.bench/results.json', import.meta.url));

function config(env) {
  const decisions = Number(env.BENCH_DECISIONS ?? 1_000_000);
  if (!Number.isInteger(decisions) || decisions < 1000) {
    throw new Error(
      `BENCH_DECISIONS must be an integer of at least 1000, not ${env.BENCH_DECISIONS}`,
    );
  }
  const stores = (env.BENCH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  for (const store of stores) {
    if (store !== 'sqlite' && store !== 'postgres') {
      throw new Error(`BENCH_STORES lists sqlite and/or postgres, not ${store}`);
    }
  }
  const concurrency = Number(env.BENCH_CONCURRENCY ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new Error(
      `BENCH_CONCURRENCY must be an integer from 1 to 64, not ${env.BENCH_CONCURRENCY}`,
    );
  }
  return {
    decisions,
    stores,
    batchSize: 1000,
    concurrency,
    chunkBatches: 50,
    // Untimed rounds first: V8 compiles the read routes over the first few thousand requests
    // (see README.md, "How the measuring is kept honest").
    read: { warmup: 3000, samples: 2000 },
    query: { warmup: 300, samples: 1000 },
    serverNodeArgs: (env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    // The privacy comparison runs three fresh servers: a smaller history keeps it short.
    privacyDecisions: Number(env.BENCH_PRIVACY_DECISIONS ?? Math.min(decisions, 100_000)),
    // `BENCH_ONLY=sdk` runs the producer SDK's figures alone (a quick run of a minute or two).
    only: env.BENCH_ONLY ?? null,
    sdkCalls: Number(env.BENCH_SDK_CALLS ?? 1_000_000),
    sdkEvents: Number(env.BENCH_SDK_EVENTS ?? Math.min(decisions, 100_000)),
  };
}

/** The SDK's figures, against a fresh server of their own. */
async function benchSdk(settings, log) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'declog-bench-sdk-'));
  let server;
  try {
    server = await startServer({
      node: process.execPath,
      dbPath: path.join(dir, 'sdk.db'),
      nodeArgs: settings.serverNodeArgs,
    });
    const measured = await sdkPhase({
      url: server.url,
      calls: settings.sdkCalls,
      events: settings.sdkEvents,
      log,
    });
    await server.stop();
    return measured;
  } finally {
    server?.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

async function bench(settings, log) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'declog-bench-'));
  const declogDb = path.join(dir, 'declog.db');
  const bareDb = path.join(dir, 'bare.db');
  let server;
  let bare;
  try {
    server = await startServer({
      node: process.execPath,
      dbPath: declogDb,
      nodeArgs: settings.serverNodeArgs,
    });
    bare = openBareStore(bareDb);
    const client = httpClient(server.url, { sockets: settings.concurrency });
    log(`server ${server.url} (pid ${server.pid}), databases in ${dir}`);

    const ingest = await ingestPhase({
      client,
      bare,
      count: settings.decisions,
      batchSize: settings.batchSize,
      chunkBatches: settings.chunkBatches,
      concurrency: settings.concurrency,
      serverPid: server.pid,
      serverThreads: server.threads,
      onProgress: (chunk, count) =>
        log(`ingest ${number(chunk.upTo)} / ${number(count)}: ${rates(chunk)} in this chunk`),
    });
    log('reading decisions by id');
    const read = await readPhase({ client, bare, count: settings.decisions, ...settings.read });
    log('querying decisions');
    const query = await queryPhase({ client, bare, ...settings.query });
    log('proving inclusion');
    const proof = await proofPhase({ client, size: ingest.events, ...settings.read });

    client.close();
    await server.stop();
    bare.close();
    bare = undefined;
    const storage = {
      decisions: ingest.events,
      declogBytes: await storedBytes(declogDb),
      bareBytes: await storedBytes(bareDb),
      declogTables: tableSizes(declogDb),
    };
    log('verifying the whole log (declog verify --db)');
    const verify = await verifyPhase({ dbPath: declogDb });
    return { ingest, read, query, proof, storage, verify };
  } finally {
    server?.kill();
    bare?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const number = (n) => Math.round(n).toLocaleString('en-US');
const rates = (chunk) =>
  `HTTP ${number(chunk.httpEventsPerSecond)} ev/s, bare ${number(chunk.bareEventsPerSecond)} ev/s`;

async function main() {
  const settings = config(process.env);
  const log = (line) => process.stderr.write(`bench: ${line}\n`);
  const machine = {
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
  };
  log(
    `${settings.decisions.toLocaleString('en-US')} decisions, batches of ${settings.batchSize}, ` +
      `${settings.concurrency} requests in flight; node ${machine.node}, ${machine.cpus} cpus`,
  );

  // The load average tells whether other work competed for the cpus during the run.
  const loadBefore = os.loadavg();
  const all = settings.only === null;
  if (!all && settings.only !== 'sdk')
    throw new Error(`BENCH_ONLY may be sdk, not ${settings.only}`);
  const measured = all && settings.stores.includes('sqlite') ? await bench(settings, log) : null;
  const privacy =
    all && settings.stores.includes('sqlite')
      ? await governancePhase({
          count: settings.privacyDecisions,
          batchSize: settings.batchSize,
          concurrency: settings.concurrency,
          serverNodeArgs: settings.serverNodeArgs,
          log,
        })
      : null;
  const postgres =
    all && settings.stores.includes('postgres') ? await postgresBench(settings, log) : null;
  const sdk = await benchSdk(settings, log);
  const loadAfter = os.loadavg();
  const load = (averages) => averages.map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(
    `\ndeclog bench: ${settings.decisions.toLocaleString('en-US')} decisions; load average ` +
      `${load(loadBefore)} before, ${load(loadAfter)} after\n`,
  );
  const rows = measured ? figures(measured) : [];
  if (measured) {
    process.stdout.write('\nSQLite (embedded, the default)\n\n');
    process.stdout.write(renderReport(rows));
    const { chunks } = measured.ingest;
    process.stdout.write(
      `\ningest as the databases grow: first chunk (to ${number(chunks[0].upTo)}) ${rates(chunks[0])}; ` +
        `last chunk ${rates(chunks.at(-1))}\n`,
    );
    process.stdout.write('\ndeclog database by table and index, bytes per decision:\n');
    process.stdout.write(
      renderTableSizes(measured.storage.declogTables, measured.storage.decisions),
    );
  }
  const privacyRows = privacy ? privacyFigures(privacy) : [];
  if (privacy) {
    process.stdout.write(
      `\nPrivacy at ingest, and retention (SQLite, ${number(settings.privacyDecisions)} decisions per variant)\n\n`,
    );
    process.stdout.write(renderReport(privacyRows));
  }
  const postgresRows = postgres ? postgresFigures(postgres) : [];
  if (postgres) {
    process.stdout.write('\nPostgreSQL 15 (declog serve --store postgres://…)\n\n');
    process.stdout.write(renderReport(postgresRows));
    process.stdout.write('\ndeclog tables (with indexes, all partitions), bytes per decision:\n');
    process.stdout.write(
      renderTableSizes(postgres.storage.declogTables, postgres.storage.decisions),
    );
  }

  const sdkRows = sdkFigures(sdk);
  process.stdout.write(
    `\nProducer SDK (@declog/sdk, ${number(settings.sdkCalls)} calls; ${number(settings.sdkEvents)} decisions end to end, without subjects)\n\n`,
  );
  process.stdout.write(renderReport(sdkRows));

  await mkdir(path.dirname(RESULTS), { recursive: true });
  const results = {
    date: new Date().toISOString(),
    machine: { ...machine, loadAverage: { before: loadBefore, after: loadAfter } },
    settings,
    measured,
    postgres,
    privacy,
    sdk,
    sdkFigures: sdkRows,
    figures: rows,
    privacyFigures: privacyRows,
    postgresFigures: postgresRows,
  };
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), RESULTS)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
