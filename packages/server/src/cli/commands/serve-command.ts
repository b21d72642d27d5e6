import { Command, InvalidArgumentError } from 'commander';
import type { EventStore } from '@declog/core';
import {
  describeStoreLocation,
  openReadonlyStore,
  openStore,
  parseStoreLocation,
} from '../../store/open-store.js';
import { DEFAULT_POOL_SIZE } from '../../store/postgres/postgres-database.js';
import { serve } from '../../serve.js';
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
      .option(
        '--threads <n>',
        'worker threads that parse and validate ingest bodies (0: none; default: cores - 1)',
        parseThreads,
      ),
  ).action(
    async (
      options: { port: number; host: string; threads?: number } & ServeStoreFlags &
        LogIdentityOptions,
    ) => {
      const stores = serveStoresOf(options, io.env);
      const poolSize = stores.poolSize !== undefined ? { poolSize: stores.poolSize } : {};
      const store = await openStore(stores.store, poolSize);
      let readStore: EventStore | undefined;
      let server;
      try {
        if (stores.readStore !== undefined) {
          readStore = await openReadonlyStore(stores.readStore, {
            poolSize: stores.poolSize ?? DEFAULT_POOL_SIZE,
          }).catch((error: unknown) => {
            throw new Error(
              `cannot read the log from the read store: ${(error as Error).message}`,
              { cause: error },
            );
          });
        }
        const identity = await openIdentity(store, stores.store, options, io.env);
        server = await serve({
          store,
          ...(readStore ? { readStore } : {}),
          identity,
          host: options.host,
          port: options.port,
          ...(options.threads !== undefined ? { prepareThreads: options.threads } : {}),
          logError: (error) => io.stderr.write(`declog: internal error: ${String(error)}\n`),
          logNotice: (message) => io.stderr.write(`declog: ${message}\n`),
        });
      } catch (error) {
        await store.close();
        await readStore?.close();
        throw error;
      }
      // Listen for signals before announcing readiness: a SIGTERM right after the banner
      // must shut down cleanly, not kill the process.
      const stopped = io.stopSignal;
      const describe = (location: string) => describeStoreLocation(parseStoreLocation(location));
      const reads = stores.readStore !== undefined ? `, reads ${describe(stores.readStore)}` : '';
      io.stdout.write(
        `declog serving ${server.url} (database ${describe(stores.store)}${reads})\n`,
      );
      const signal = await stopped;
      io.stderr.write(`declog: ${signal}, shutting down\n`);
      await server.close();
    },
  );
}
