import { DEFAULT_TENANT, MasterKeyRotation, type GovernanceStore } from '@declog/core';

/** The default tenant's setting that pins the database's master key by its id. */
export const MASTER_KEY_ID_SETTING = 'master_key_id';
/** The default tenant's setting that holds an unfinished master key rotation. */
export const MASTER_KEY_ROTATION_SETTING = 'master_key_rotation';

/** Which master key a database uses, and the rotation under way, if any. */
export interface MasterKeyState {
  /** The id of the key in force; null before the database's first use of one. */
  readonly pinned: string | null;
  readonly rotation: MasterKeyRotation | null;
  /** The rotation's stored text, for compare-and-set changes of it. */
  readonly rotationText: string | null;
}

/**
 * The database's master key settings. (Settings of the default tenant, not of a log: a
 * copied log does not take the database's subject keys.)
 */
export async function readMasterKeyState(governance: GovernanceStore): Promise<MasterKeyState> {
  const pinned = await governance.tenantSetting(DEFAULT_TENANT, MASTER_KEY_ID_SETTING);
  const rotationText = await governance.tenantSetting(DEFAULT_TENANT, MASTER_KEY_ROTATION_SETTING);
  if (rotationText === null) return { pinned, rotation: null, rotationText };
  const parsed = MasterKeyRotation.safeParse(JSON.parse(rotationText));
  if (!parsed.success) {
    throw new Error(`the database's record of its master key rotation is malformed`);
  }
  return { pinned, rotation: parsed.data, rotationText };
}
