import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TENANT, type LogDatabase } from '@declog/core';
import { openMasterKey } from '../master-key-option.js';
import { renderInternalError } from '../render-internal-error.js';
import {
  describeStoreLocation,
  openReadonlyDatabase,
  parseStoreLocation,
} from '../../store/open-store.js';
import { DEFAULT_RATE_LIMITS } from '../../services/governance/rate-limiter.js';
import { openServingDatabase } from '../../runtime/open-serving-database.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../../http/http-limits.js';
import { LOG_LEVELS, type LogLevel } from '../../http/access-log.js';
import { DEFAULT_POOL_SIZE } from '../../store/postgres/default-pool-size.js';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_DB, withStoreFlags } from '../store-option.js';
import { serveStoresOf, type ServeStoreFlags } from '../serve-stores.js';
import { openIdentity, withLogIdentity, type LogIdentityOptions } from '../log-identity-options.js';

export const DEFAULT_PORT = 7300;
export const DEFAULT_HOST = '127.0.0.1';
const MAX_POOL_SIZE = 200;

export function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new InvalidArgumentError('must be a port number 0-65535');
  return port;
}

function parseThreads(value: string): number {
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 16)) throw new InvalidArgumentError('must be an integer from 0 to 16');
  return n;
}

function parsePoolSize(value: string): number {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_POOL_SIZE)) {
    throw new InvalidArgumentError(`must be an integer from 1 to ${MAX_POOL_SIZE}`);
  }
  return n;
}

function parseRate(value: string): number {
  const n = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0))
    throw new InvalidArgumentError('must be a whole number of requests per second (0: no limit)');
  return n;
}

export function serveCommand(io: CliIo): Command {
  return withLogIdentity(
    withStoreFlags(
      new Command('serve').description('run the HTTP API server'),
      `SQLite database file, created if missing (default ${DEFAULT_DB})`,
    )
      .option(
        '--read-store <url>',
        'PostgreSQL read replica of --store that answers the read endpoints, opened ' +
          'read-only; it may lag behind (default: $DECLOG_READ_DATABASE_URL)',
      )
      .option(
        '--pool-size <n>',
        `PostgreSQL connections per store in this process, 1-${MAX_POOL_SIZE} ` +
          `(default ${DEFAULT_POOL_SIZE})`,
        parsePoolSize,
      )
      .option('--port <n>', 'TCP port (0 picks a free one)', parsePort, DEFAULT_PORT)
      .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
      .addOption(
        // For the benchmark and profiling: which thread does what, to read their CPU times.
        new Option('--report-threads', 'print the task ids of the serving threads').hideHelp(),
      )
      .addOption(
        // Kept so that scripts that pass it still start; it no longer changes anything.
        new Option('--threads <n>', 'no longer used').argParser(parseThreads).hideHelp(),
      )
      .option(
        '--master-key <file>',
        'key that wraps subject keys and pseudonym keys (default: $DECLOG_MASTER_KEY, else ' +
          'DATABASE.master-key beside a SQLite file or ./declog-master.key for PostgreSQL, ' +
          'created on first start; change it with declog master-key rotate)',
      )
      .option(
        '--retention-interval <duration>',
        "how often to apply every tenant's retention policy: 30m, 1h, 1d; 0 never " +
          '(default 1h, the first run 10 s after the start)',
        parseInterval,
      )
      .option(
        '--rate-limit-reads <n>',
        'read requests per second per API key, bursts of twice that (0: no limit)',
        parseRate,
        DEFAULT_RATE_LIMITS.readsPerSecond,
      )
      .option(
        '--rate-limit-writes <n>',
        'write requests per second per API key, bursts of twice that (0: no limit)',
        parseRate,
        DEFAULT_RATE_LIMITS.writesPerSecond,
      )
      .option(
        '--header-timeout <duration>',
        'time a client has to send the headers of a request: 500ms, 10s, 1m (default 10s)',
        parseTimeout,
      )
      .option(
        '--request-timeout <duration>',
        'time a client has to send a whole request, headers and body, at least --header-timeout ' +
          '(default 60s)',
        parseTimeout,
      )
      .option(
        '--idle-timeout <duration>',
        'how long a keep-alive connection may wait idle for its next request (default 5s)',
        parseTimeout,
      )
      .option(
        '--max-connections <n>',
        'connections open at once; more are closed as they arrive',
        parseConnections,
        DEFAULT_HTTP_LIMITS.maxConnections,
      )
      .addOption(
        new Option(
          '--log-level <level>',
          'access log on standard output, one JSON line per request (method, route, status, ms, ' +
            'key_id, tenant, request_id); silent: none',
        )
          .choices(LOG_LEVELS)
          .default('info'),
      )
      .option(
        '--auth-failures-per-minute <n>',
        'failed authentications per minute per client address, in bursts of as many; beyond, ' +
          'the address is answered 429 until its budget refills (0: no limit)',
        parseRate,
        DEFAULT_HTTP_LIMITS.authFailuresPerMinute,
      ),
  ).action(
    async (
      options: {
        port: number;
        host: string;
        threads?: number;
        reportThreads?: boolean;
        rateLimitReads: number;
        rateLimitWrites: number;
        headerTimeout?: number;
        requestTimeout?: number;
        idleTimeout?: number;
        maxConnections: number;
        authFailuresPerMinute: number;
        masterKey?: string;
        retentionInterval?: number;
        logLevel: LogLevel;
      } & ServeStoreFlags &
        LogIdentityOptions,
    ) => {
      const http: HttpLimits = {
        headersTimeoutMs: options.headerTimeout ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs,
        requestTimeoutMs: options.requestTimeout ?? DEFAULT_HTTP_LIMITS.requestTimeoutMs,
        idleTimeoutMs: options.idleTimeout ?? DEFAULT_HTTP_LIMITS.idleTimeoutMs,
        maxConnections: options.maxConnections,
        authFailuresPerMinute: options.authFailuresPerMinute,
      };
      if (http.requestTimeoutMs < http.headersTimeoutMs) {
        throw new InvalidArgumentError(
          '--request-timeout must be at least --header-timeout (a request is its headers and body)',
        );
      }
      const stores = serveStoresOf(options, io.env);
      const poolSize = stores.poolSize !== undefined ? { poolSize: stores.poolSize } : {};
      if (options.threads !== undefined) {
        io.stderr.write(
          'declog: --threads is no longer used: ingest bodies are prepared on the serving ' +
            'thread, and a SQLite file is written on a thread of its own\n',
        );
      }
      const database = await openServingDatabase(stores.store, poolSize);
      let readDatabase: LogDatabase | undefined;
      let server;
      try {
        // Opened (created) on the primary before the replica is asked for it.
        const defaultLog = await database.log(DEFAULT_TENANT);
        if (stores.readStore !== undefined) {
          readDatabase = await openReadonlyDatabase(stores.readStore, {
            poolSize: stores.poolSize ?? DEFAULT_POOL_SIZE,
          })
            .then(async (opened) => {
              // The default log must be there: a replica of a database that holds none is no use.
              await opened.log(DEFAULT_TENANT).catch(async (error: unknown) => {
                await opened.close();
                throw error;
              });
              return opened;
            })
            .catch((error: unknown) => {
              throw new Error(
                `cannot read the log from the read store: ${(error as Error).message}`,
                { cause: error },
              );
            });
        }
        const identity = await openIdentity(defaultLog, stores.store, options, io.env);
        const adminKey = io.env['DECLOG_ADMIN_KEY'];
        const masterKey = await openMasterKey(
          database.governance,
          stores.store,
          options.masterKey,
          io.env,
        );
        // The HTTP stack is loaded here: every other command would pay for it at start-up.
        const { serve } = await import('../../serve.js');
        const { pino } = await import('pino');
        const logger = pino(
          {
            level: options.logLevel,
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) },
          },
          io.stdout,
        );
        server = await serve({
          logger,
          database,
          ...(readDatabase ? { readDatabase } : {}),
          ...(adminKey !== undefined && adminKey !== '' ? { adminKey } : {}),
          ...(masterKey ? { masterKey } : {}),
          rateLimits: {
            readsPerSecond: options.rateLimitReads,
            writesPerSecond: options.rateLimitWrites,
          },
          http,
          identity,
          host: options.host,
          port: options.port,
          ...(options.retentionInterval !== undefined
            ? { retentionIntervalMs: options.retentionInterval }
            : {}),
          logError: (error) => io.stderr.write(renderInternalError(error)),
          logNotice: (message) => io.stderr.write(`declog: ${message}\n`),
        });
      } catch (error) {
        await database.close();
        await readDatabase?.close();
        throw error;
      }
      // Listen for signals before announcing readiness: a SIGTERM right after the banner
      // must shut down cleanly, not kill the process.
      const stopped = io.stopSignal;
      const describe = (location: string) => describeStoreLocation(parseStoreLocation(location));
      const reads = stores.readStore !== undefined ? `, reads ${describe(stores.readStore)}` : '';
      if (server.generatedAdminKey !== null) {
        // Shown once: only its hash is stored.
        io.stdout.write(
          `declog: created the admin API key (shown only now; keep it safe):\n  ${server.generatedAdminKey}\n`,
        );
      }
      if (options.reportThreads) {
        const threads = Object.entries(database.threads())
          .map(([job, id]) => `${job}=${id ?? 'unknown'}`)
          .join(' ');
        io.stderr.write(`declog: threads ${threads}\n`);
      }
      io.stdout.write(
        `declog serving ${server.url} (database ${describe(stores.store)}${reads})\n`,
      );
      const signal = await stopped;
      io.stderr.write(`declog: ${signal}, shutting down\n`);
      await server.close();
    },
  );
}

/** `500ms`, `10s`, `2m` as milliseconds, from 1 ms to 24 days. */
function parseTimeout(text: string): number {
  const match = /^([1-9]\d{0,9})(ms|s|m)$/.exec(text);
  if (!match) throw new InvalidArgumentError('must be a number and a unit (ms, s, m), such as 10s');
  const ms = Number(match[1]) * (match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000);
  if (ms > 2 ** 31 - 1) throw new InvalidArgumentError('must be at most 24 days');
  return ms;
}

function parseConnections(value: string): number {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1))
    throw new InvalidArgumentError('must be a whole number of connections, at least 1');
  return n;
}

const INTERVAL_UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `30m`, `1h`, `1d` (or `0`: never) as milliseconds. */
function parseInterval(text: string): number {
  if (text === '0') return 0;
  const match = /^([1-9]\d{0,5})([smhd])$/.exec(text);
  if (!match) {
    throw new InvalidArgumentError('must be a number and a unit (s, m, h, d), such as 1h, or 0');
  }
  const ms = Number(match[1]) * (INTERVAL_UNITS[match[2] as string] ?? 0);
  if (ms > 2 ** 31 - 1) throw new InvalidArgumentError('must be at most 24 days');
  return ms;
}
