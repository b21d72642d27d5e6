import { DEFAULT_TENANT, type GovernanceStore, type MasterKey } from '@declog/core';
import { loadMasterKey } from '../keys/master-key-source.js';
import { parseStoreLocation } from '../store/open-store.js';

/** Where a database's master key is kept unless told otherwise: beside a SQLite file. */
export function defaultMasterKeyFile(location: string): string {
  const parsed = parseStoreLocation(location);
  return parsed.kind === 'sqlite' ? `${parsed.path}.master-key` : './declog-master.key';
}

/**
 * The database's master key (see loadMasterKey), pinned by its id in the governance settings
 * at the first use: a different key later would leave every subject key unreadable, so it is
 * refused. (Not a log setting: a copied log does not take the database's subject keys.)
 * `mayCreate: false` (read-only commands) answers null where a key would be created.
 */
export async function openMasterKey(
  governance: GovernanceStore,
  location: string,
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly mayCreate: boolean } = { mayCreate: true },
): Promise<MasterKey | null> {
  const pinned = await governance.tenantSetting(DEFAULT_TENANT, 'master_key_id');
  const text = env['DECLOG_MASTER_KEY'];
  const given = file !== undefined || (text !== undefined && text.trim() !== '');
  if (!options.mayCreate && pinned === null && !given) return null;
  const key = loadMasterKey({
    file,
    text,
    defaultFile: defaultMasterKeyFile(location),
    mayCreate: options.mayCreate && pinned === null,
  });
  const inForce =
    pinned ?? (await governance.initTenantSetting(DEFAULT_TENANT, 'master_key_id', key.id));
  if (inForce !== key.id) {
    throw new Error(`master key ${key.id} is not this database's (${inForce})`);
  }
  return key;
}
