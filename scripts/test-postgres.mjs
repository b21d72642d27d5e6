#!/usr/bin/env node
// A throwaway PostgreSQL 15 server for the tests and the benchmark: a fresh cluster in a
// temporary folder, on a free port, stopped (and removed) afterwards. PostgreSQL refuses to
// run as root, so as root the server runs as the unprivileged `postgres` user.
//
//   node scripts/test-postgres.mjs start   prints DECLOG_TEST_PG_URL=… and DECLOG_TEST_PG_DIR=…
//   node scripts/test-postgres.mjs restart DIR
//   node scripts/test-postgres.mjs stop DIR
//
// `startStandby(dir)` adds a hot standby streaming from the cluster in `dir` (read replicas).
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SERVICE_USER = 'postgres';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The command line that runs a PostgreSQL program as the unprivileged service user when root. */
function asService(program, args) {
  if (process.getuid?.() !== 0) return [program, args];
  const quoted = [program, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  return ['su', [SERVICE_USER, '-s', '/bin/sh', '-c', quoted]];
}

function runAsService(program, args) {
  return execFileSync(...asService(program, args), { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Like runAsService, without blocking the caller's event loop (its clients keep running). */
function runAsServiceAsync(program, args) {
  return new Promise((resolve, reject) => {
    execFile(...asService(program, args), (error, stdout, stderr) =>
      error ? reject(new Error(`${program} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** `pg_ctl -w start` of the cluster in `dir` with the settings it was first started with. */
function pgCtlStart(dir) {
  return [
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'server.log'),
    '-o',
    readFileSync(join(dir, 'settings'), 'utf8'),
    '-w',
    'start',
  ];
}

/** Starts a fresh cluster; resolves to its URL and folder. */
export async function startPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'declog-pg-'));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) execFileSync('chown', [SERVICE_USER, dir]);
  const data = join(dir, 'data');
  runAsService('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    '-c shared_buffers=256MB',
  ].join(' ');
  writeFileSync(join(dir, 'settings'), settings);
  runAsService('pg_ctl', pgCtlStart(dir));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  writeFileSync(join(dir, 'url'), url);
  return { url, dir };
}

/**
 * Shuts the cluster in `dir` down (fast: open sessions are ended, as in a restart or failover)
 * and keeps its files for `resumePostgres`.
 */
export async function haltPostgres(dir) {
  await runAsServiceAsync('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
}

/** Starts the halted cluster in `dir` again, on the same port with the same data. */
export async function resumePostgres(dir) {
  await runAsServiceAsync('pg_ctl', pgCtlStart(dir));
}

/** A fast restart of the cluster in `dir`; clients see their connections end. */
export async function restartPostgres(dir) {
  await haltPostgres(dir);
  await resumePostgres(dir);
}

/** Stops the cluster in `dir` (fast shutdown) unless it is halted, and removes the folder. */
export function stopPostgres(dir) {
  try {
    if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
      runAsService('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts a hot standby of the running cluster in `primaryDir` (whose pg_hba.conf, from
 * `initdb -A trust`, already trusts local replication connections): a base backup streamed
 * from it with `-R`, which makes the copy a standby that follows the primary, started on a
 * free port. Resolves to its URL and folder; stop it with `stopPostgres` like any cluster.
 */
export async function startStandby(primaryDir) {
  const primaryPort = new URL(readFileSync(join(primaryDir, 'url'), 'utf8')).port;
  const dir = mkdtempSync(join(tmpdir(), 'declog-pg-standby-'));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) execFileSync('chown', [SERVICE_USER, dir]);
  const port = await freePort();
  try {
    const data = join(dir, 'data');
    runAsService('pg_basebackup', [
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '-h',
      '127.0.0.1',
      '-p',
      primaryPort,
      '-U',
      'postgres',
    ]);
    // A hot standby needs max_connections at least the primary's.
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      '-c shared_buffers=64MB',
    ].join(' ');
    runAsService('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      settings,
      '-w',
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  writeFileSync(join(dir, 'url'), url);
  return { url, dir };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const started = await startPostgres();
    process.stdout.write(`DECLOG_TEST_PG_URL=${started.url}\nDECLOG_TEST_PG_DIR=${started.dir}\n`);
  } else if (command === 'restart' && dir) {
    await restartPostgres(dir);
  } else if (command === 'stop' && dir) {
    stopPostgres(dir);
  } else {
    process.stderr.write('usage: test-postgres.mjs start | restart DIR | stop DIR\n');
    process.exit(2);
  }
}
