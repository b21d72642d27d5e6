import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres, stopPostgres } from '../scripts/test-postgres.mjs';
import { openBarePostgres } from './bare-postgres.mjs';
import { httpClient } from './http-client.mjs';
import { ingestPhase } from './ingest-phase.mjs';
import { postgresTableSizes } from './postgres-sizes.mjs';
import { queryPhase } from './query-phase.mjs';
import { readPhase } from './read-phase.mjs';
import { startServer } from './server-process.mjs';

const SERVERS = 3;

/**
 * The PostgreSQL figures: a throwaway PostgreSQL 15 (or $DECLOG_BENCH_PG_URL), one database
 * for one `declog serve`, one for three servers sharing a log, one for the COPY baseline.
 */
export async function postgresBench(settings, log) {
  const given = process.env.DECLOG_BENCH_PG_URL;
  const cluster = given ? null : await startPostgres();
  const adminUrl = given ?? cluster.url;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'declog-bench-pg-'));
  const suffix = Date.now().toString(36);
  const urls = {};
  for (const name of ['one', 'three', 'bare']) {
    const database = `declog_bench_${name}_${suffix}`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    urls[name] = url.toString();
  }
  const servers = [];
  let bare;
  try {
    bare = await openBarePostgres(urls.bare);
    const start = (store) =>
      startServer({ node: process.execPath, store, cwd: dir, nodeArgs: settings.serverNodeArgs });

    const one = await start(urls.one);
    servers.push(one);
    const client = httpClient(one.url, { sockets: settings.concurrency });
    log(`postgres: one server ${one.url}, databases at ${new URL(adminUrl).host}`);
    const ingest = await ingestPhase({
      client,
      bare,
      count: settings.decisions,
      batchSize: settings.batchSize,
      chunkBatches: settings.chunkBatches,
      concurrency: settings.concurrency,
      onProgress: (chunk, count) =>
        log(
          `postgres ingest ${number(chunk.upTo)} / ${number(count)}: ` +
            `HTTP ${number(chunk.httpEventsPerSecond)} ev/s, COPY ${number(chunk.bareEventsPerSecond)} ev/s`,
        ),
    });
    log('postgres: reading decisions by id');
    const read = await readPhase({ client, bare, count: settings.decisions, ...settings.read });
    log('postgres: querying decisions');
    const query = await queryPhase({ client, bare, ...settings.query });
    client.close();

    // Three servers on one log, the same key (in the shared working directory).
    const more = [];
    for (let i = 0; i < SERVERS; i += 1) more.push(await start(urls.three));
    servers.push(...more);
    const clients = more.map((server) => httpClient(server.url, { sockets: settings.concurrency }));
    const discard = { ingest: () => 0 };
    log(`postgres: ${SERVERS} servers on one log`);
    const shared = await ingestPhase({
      client: clients,
      bare: discard,
      count: settings.decisions,
      batchSize: settings.batchSize,
      chunkBatches: settings.chunkBatches,
      concurrency: settings.concurrency * SERVERS,
      onProgress: (chunk, count) =>
        log(
          `postgres ${SERVERS} servers ${number(chunk.upTo)} / ${number(count)}: ` +
            `${number(chunk.httpEventsPerSecond)} ev/s`,
        ),
    });
    for (const c of clients) c.close();
    for (const server of servers) await server.stop();
    servers.length = 0;
    await bare.close();
    bare = undefined;

    const declogTables = await postgresTableSizes(urls.one);
    const bareTables = await postgresTableSizes(urls.bare);
    const sum = (tables) => tables.reduce((total, t) => total + t.bytes, 0);
    return {
      ingest,
      read,
      query,
      shared: { servers: SERVERS, ...shared },
      storage: {
        decisions: ingest.events,
        declogBytes: sum(declogTables),
        bareBytes: sum(bareTables),
        declogTables,
      },
    };
  } finally {
    for (const server of servers) server.kill();
    await bare?.close();
    await rm(dir, { recursive: true, force: true });
    if (cluster) stopPostgres(cluster.dir);
  }
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const number = (n) => Math.round(n).toLocaleString('en-US');
