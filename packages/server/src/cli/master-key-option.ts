import {
  DEFAULT_TENANT,
  masterKeyRing,
  type GovernanceStore,
  type MasterKeyRing,
} from '@declog/core';
import { loadMasterKey } from '../keys/master-key-source.js';
import { MASTER_KEY_ID_SETTING, readMasterKeyState } from '../services/privacy/master-key-state.js';
import { parseStoreLocation } from '../store/open-store.js';

/** Where a database's master key is kept unless told otherwise: beside a SQLite file. */
export function defaultMasterKeyFile(location: string): string {
  const parsed = parseStoreLocation(location);
  return parsed.kind === 'sqlite' ? `${parsed.path}.master-key` : './declog-master.key';
}

/**
 * The database's master key (see loadMasterKey), pinned by its id in the governance settings
 * at the first use: a different key later would leave every subject key unreadable, so it is
 * refused. While a master key rotation is unfinished, the old key or the new one will do (see
 * masterKeyRing); the answer is the ring of keys to work with.
 * `mayCreate: false` (read-only commands) answers null where a key would be created.
 */
export async function openMasterKey(
  governance: GovernanceStore,
  location: string,
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly mayCreate: boolean } = { mayCreate: true },
): Promise<MasterKeyRing | null> {
  const state = await readMasterKeyState(governance);
  const text = env['DECLOG_MASTER_KEY'];
  const given = file !== undefined || (text !== undefined && text.trim() !== '');
  if (!options.mayCreate && state.pinned === null && !given) return null;
  const key = loadMasterKey({
    file,
    text,
    defaultFile: defaultMasterKeyFile(location),
    mayCreate: options.mayCreate && state.pinned === null,
  });
  const pinned =
    state.pinned ??
    (await governance.initTenantSetting(DEFAULT_TENANT, MASTER_KEY_ID_SETTING, key.id));
  const ring = masterKeyRing(key, { pinned, rotation: state.rotation });
  if (!ring.ok) throw new Error(ring.reason);
  return ring.ring;
}
