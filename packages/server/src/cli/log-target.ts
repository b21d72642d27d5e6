import { Option, type Command } from 'commander';
import { DEFAULT_TENANT } from '@declog/core';
import { openDatabase, openReadonlyDatabase } from '../store/open-store.js';
import { pseudonymKeys } from '../services/governance/pseudonym-keys.js';
import { sealingKeySource } from '../services/ingest/sealing-keys.js';
import { subjectKeys } from '../services/privacy/subject-keys.js';
import { openMasterKey } from './master-key-option.js';
import { DEFAULT_DB, storeLocationOf, withStoreFlags, type StoreFlags } from './store-option.js';
import { localClient } from '../client/local-client.js';
import { remoteClient } from '../client/remote-client.js';
import type { LogClient } from '../client/log-client.js';
import { tenantLog } from './open-tenant-log.js';
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
  const location = storeLocationOf(options, env);
  const tenant = options.tenant ?? DEFAULT_TENANT;
  // Reading never writes: no migrations, and a PostgreSQL read replica will do.
  const database =
    access === 'read' ? await openReadonlyDatabase(location) : await openDatabase(location);
  try {
    const store = await tenantLog(database, tenant, 'decisions', access);
    const masterKeys = await openMasterKey(database.governance, location, undefined, env, {
      mayCreate: access === 'write',
    });
    const { governance } = database;
    return localClient(
      { ...store, close: () => database.close() },
      {
        tenant,
        governance,
        keys: masterKeys ? subjectKeys(governance, masterKeys, () => new Date()) : null,
        sealingKeys: masterKeys ? sealingKeySource(governance, masterKeys) : null,
        pseudonymKeys: masterKeys ? pseudonymKeys(governance, masterKeys) : null,
      },
    );
  } catch (error) {
    await database.close();
    throw error;
  }
}
