import { Option, type Command } from 'commander';
import {
  localAnalyticsClient,
  remoteAnalyticsClient,
  type AnalyticsClient,
} from '../client/analytics-client.js';
import type { CliIo } from './cli-io.js';
import { localUser } from './local-user.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from './store-option.js';
import { tenantOption, type TenantFlag } from './tenant-option.js';

/** Where `declog analyze` and `declog models` read: a server (--url) or the database. */
export interface TargetOptions extends StoreFlags, TenantFlag {
  readonly url?: string;
  readonly key?: string;
  readonly json?: boolean;
}

/** Adds the flags that choose the target, the tenant and --json. */
export function withTarget(command: Command): Command {
  return withStoreFlags(
    command,
    `database to read directly, without a server (default ${DEFAULT_DB}); sealed features and cohort stay sealed`,
    ['url'],
  )
    .addOption(new Option('--url <url>', 'a declog server to ask, e.g. http://127.0.0.1:7300'))
    .addOption(new Option('--key <key>', 'API key for --url (default: $DECLOG_API_KEY)'))
    .addOption(tenantOption())
    .option('--json', 'print the answer as the API gives it');
}

/** The client the flags name; `write` opens the database for writing. */
export async function openClient(
  options: TargetOptions,
  io: CliIo,
  write: boolean,
): Promise<AnalyticsClient> {
  if (options.url !== undefined) {
    return remoteAnalyticsClient({
      url: options.url,
      apiKey: options.key ?? io.env['DECLOG_API_KEY'],
      tenant: options.tenant,
    });
  }
  return localAnalyticsClient(storeLocationOf(options, io.env), {
    tenant: options.tenant,
    write,
    now: () => new Date(),
    user: localUser(io.env),
  });
}

/** Runs `work` with the client, then closes it. */
export async function using<T>(client: AnalyticsClient, work: (c: AnalyticsClient) => Promise<T>) {
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
