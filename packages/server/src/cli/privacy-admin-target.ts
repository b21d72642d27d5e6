import { Option, type Command } from 'commander';
import { DEFAULT_TENANT } from '@declog/core';
import { localPrivacyAdmin } from '../client/local-privacy-admin.js';
import type { PrivacyAdmin } from '../client/privacy-admin.js';
import { remotePrivacyAdmin } from '../client/remote-privacy-admin.js';
import { openDatabase, openReadonlyDatabase } from '../store/open-store.js';
import { localUser } from './local-user.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from './store-option.js';
import { tenantOption, type TenantFlag } from './tenant-option.js';
import { parseServerUrl } from './server-url-option.js';

export interface PrivacyTargetFlags extends StoreFlags, TenantFlag {
  readonly url?: string;
  readonly key?: string;
  readonly json?: boolean;
}

/**
 * The flags of `declog erase` and `declog holds`: a server (`--url`, with an admin key) or
 * its database (`--db`, `--store`), the tenant, and `--json`.
 */
export function withPrivacyTarget(command: Command): Command {
  return withStoreFlags(
    command,
    `database to change directly, as an admin of all tenants, without a server (default ${DEFAULT_DB})`,
    ['url'],
  )
    .addOption(
      new Option('--url <url>', 'a declog server to ask, e.g. http://127.0.0.1:7300').argParser(
        parseServerUrl,
      ),
    )
    .addOption(new Option('--key <key>', 'admin API key for --url (default: $DECLOG_API_KEY)'))
    .addOption(
      tenantOption(
        'the tenant acted on: sent as X-Declog-Tenant with --url, else that tenant in the database (default: default)',
      ),
    )
    .option('--json', 'print the API answer as JSON');
}

/** The server or database the flags name, acting on their tenant. */
export async function openPrivacyAdmin(
  options: PrivacyTargetFlags,
  env: Readonly<Record<string, string | undefined>>,
  access: 'read' | 'write',
): Promise<PrivacyAdmin> {
  if (options.url !== undefined) {
    return remotePrivacyAdmin({
      url: options.url,
      apiKey: options.key ?? env['DECLOG_API_KEY'],
      tenant: options.tenant,
    });
  }
  const location = storeLocationOf(options, env);
  const database =
    access === 'read' ? await openReadonlyDatabase(location) : await openDatabase(location);
  return localPrivacyAdmin(database, {
    user: localUser(env),
    tenant: options.tenant ?? DEFAULT_TENANT,
  });
}
