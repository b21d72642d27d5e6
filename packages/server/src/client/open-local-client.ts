import { DEFAULT_TENANT } from '@declog/core';
import { openMasterKey } from '../cli/master-key-option.js';
import { pseudonymKeys } from '../services/governance/pseudonym-keys.js';
import { sealingKeySource } from '../services/ingest/sealing-keys.js';
import { subjectKeys } from '../services/privacy/subject-keys.js';
import { openDatabase, openReadonlyDatabase } from '../store/open-store.js';
import { tenantLog } from '../cli/open-tenant-log.js';
import { localClient } from './local-client.js';
import type { LogClient } from './log-client.js';

export interface LocalClientOptions {
  /** The database: a file path, `sqlite:PATH` or `postgres://…`. */
  readonly location: string;
  /** The tenant whose decision log to use (default `default`); another must exist. */
  readonly tenant?: string | undefined;
  readonly access: 'read' | 'write';
  /** A file holding the master key, as `--master-key FILE`. */
  readonly masterKeyFile?: string | undefined;
  /** The master key's text, as `$DECLOG_MASTER_KEY` holds it. */
  readonly masterKeyText?: string | undefined;
}

/**
 * A client on the database itself, governed as `declog serve` would govern it: the tenant's
 * masking policy, and personal values sealed under subject keys wrapped by the database's
 * master key (from the file, else the text, else the file beside an SQLite database, made on
 * first use when writing). `declog ingest --db` and the SDK's embedded mode open logs this way.
 */
export async function openLocalClient(options: LocalClientOptions): Promise<LogClient> {
  const { location, access } = options;
  const tenant = options.tenant ?? DEFAULT_TENANT;
  // Reading never writes: no migrations, and a PostgreSQL read replica will do.
  const database =
    access === 'read' ? await openReadonlyDatabase(location) : await openDatabase(location);
  try {
    const store = await tenantLog(database, tenant, 'decisions', access);
    const env = { DECLOG_MASTER_KEY: options.masterKeyText };
    const masterKeys = await openMasterKey(
      database.governance,
      location,
      options.masterKeyFile,
      env,
      { mayCreate: access === 'write' },
    );
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
