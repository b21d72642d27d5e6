import { Command, InvalidArgumentError } from 'commander';
import { describeStoreLocation, openStore, parseStoreLocation } from '../../store/open-store.js';
import { serve } from '../../serve.js';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from '../store-option.js';
import { openIdentity, withLogIdentity, type LogIdentityOptions } from '../log-identity-options.js';

export const DEFAULT_PORT = 7300;
export const DEFAULT_HOST = '127.0.0.1';

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

export function serveCommand(io: CliIo): Command {
  return withLogIdentity(
    withStoreFlags(
      new Command('serve').description('run the HTTP API server'),
      `SQLite database file, created if missing (default ${DEFAULT_DB})`,
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
      options: { port: number; host: string; threads?: number } & StoreFlags & LogIdentityOptions,
    ) => {
      const location = storeLocationOf(options, io.env);
      const store = await openStore(location);
      let server;
      try {
        const identity = await openIdentity(store, location, options, io.env);
        server = await serve({
          store,
          identity,
          host: options.host,
          port: options.port,
          ...(options.threads !== undefined ? { prepareThreads: options.threads } : {}),
          logError: (error) => io.stderr.write(`declog: internal error: ${String(error)}\n`),
          logNotice: (message) => io.stderr.write(`declog: ${message}\n`),
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      // Listen for signals before announcing readiness: a SIGTERM right after the banner
      // must shut down cleanly, not kill the process.
      const stopped = io.stopSignal;
      const database = describeStoreLocation(parseStoreLocation(location));
      io.stdout.write(`declog serving ${server.url} (database ${database})\n`);
      const signal = await stopped;
      io.stderr.write(`declog: ${signal}, shutting down\n`);
      await server.close();
    },
  );
}
