import { Option, type Command } from 'commander';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from './store-option.js';
import { openLocalClient } from '../client/open-local-client.js';
import { remoteClient } from '../client/remote-client.js';
import type { LogClient } from '../client/log-client.js';
import { tenantOption, type TenantFlag } from './tenant-option.js';
import { parseServerUrl } from './server-url-option.js';

export interface LogTargetOptions extends StoreFlags, TenantFlag {
  readonly url?: string;
  readonly key?: string;
}

/** Adds the flags that choose which log a command reads or writes. */
export function withLogTarget(command: Command): Command {
  return withStoreFlags(command, `database file to open directly (default ${DEFAULT_DB})`, ['url'])
    .addOption(
      new Option(
        '--url <url>',
        'a declog server to talk to instead, e.g. http://127.0.0.1:7300',
      ).argParser(parseServerUrl),
    )
    .addOption(new Option('--key <key>', 'API key for --url (default: $DECLOG_API_KEY)'))
    .addOption(tenantOption());
}

/** A client for the log the flags name: a server with --url, else the database. */
export async function openLogTarget(
  options: LogTargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  access: 'read' | 'write',
): Promise<LogClient> {
  if (options.url !== undefined) {
    return remoteClient({
      url: options.url,
      apiKey: options.key ?? env['DECLOG_API_KEY'],
      tenant: options.tenant,
    });
  }
  return openLocalClient({
    location: storeLocationOf(options, env),
    tenant: options.tenant,
    access,
    masterKeyText: env['DECLOG_MASTER_KEY'],
  });
}
