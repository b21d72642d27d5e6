import { Option, type Command } from 'commander';
import { openStore } from '../store/open-store.js';
import { localClient } from '../client/local-client.js';
import { remoteClient } from '../client/remote-client.js';
import type { LogClient } from '../client/log-client.js';

export interface LogTargetOptions {
  readonly db?: string;
  readonly url?: string;
  readonly key?: string;
}

export const DEFAULT_DB = './declog.db';

/** Adds the flags that choose which log a command reads or writes. */
export function withLogTarget(command: Command): Command {
  return command
    .addOption(
      new Option('--db <path>', `database file to open directly (default ${DEFAULT_DB})`).conflicts(
        'url',
      ),
    )
    .addOption(
      new Option('--url <url>', 'a declog server to talk to instead, e.g. http://127.0.0.1:7300'),
    )
    .addOption(new Option('--key <key>', 'API key for --url (default: $DECLOG_API_KEY)'));
}

/** A client for the log the flags name: a server with --url, else the database file. */
export function openLogTarget(
  options: LogTargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  access: 'read' | 'write',
): LogClient {
  if (options.url !== undefined) {
    return remoteClient({ url: options.url, apiKey: options.key ?? env['DECLOG_API_KEY'] });
  }
  return localClient(openStore(options.db ?? DEFAULT_DB, { mustExist: access === 'read' }));
}
