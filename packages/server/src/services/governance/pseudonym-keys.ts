import { randomBytes } from 'node:crypto';
import {
  unwrapPseudonymKey,
  wrapPseudonymKey,
  type GovernanceStore,
  type MasterKeyRing,
} from '@declog/core';

/** The tenant setting that holds a tenant's pseudonym key, wrapped by the master key. */
export const PSEUDONYM_KEY_SETTING = 'pseudonym_key';

/** Each tenant's pseudonym key: the HMAC key of its masking pseudonyms. */
export interface PseudonymKeys {
  /** The tenant's key, made at first use (first writer wins, so every server agrees). */
  keyOf(tenant: string): Promise<Uint8Array>;
}

/**
 * A pseudonym key as stored: wrapped (a JSON record, or a list of them while a master key
 * rotation runs), or the base64 of the key itself, as declog stored it before keys were
 * wrapped.
 */
export function isClearPseudonymKey(text: string): boolean {
  return !/^\s*[[{]/.test(text);
}

/**
 * Pseudonym keys kept wrapped by the master key in the tenant settings, so that the database
 * alone (a backup, a stolen copy) cannot compute or test pseudonyms. A key stored in the clear
 * by an older declog is read, and stored wrapped in its place by the first reader.
 */
export function pseudonymKeys(
  governance: GovernanceStore,
  masterKeys: MasterKeyRing,
): PseudonymKeys {
  // Read on every ingest request: unwrapped once per stored text, which a rotation changes.
  const opened = new Map<string, { readonly text: string; readonly key: Uint8Array }>();
  const wrap = (tenant: string, key: Uint8Array) =>
    JSON.stringify(wrapPseudonymKey(masterKeys.wrapWith, key, tenant));
  const open = async (tenant: string, text: string): Promise<Uint8Array> => {
    if (isClearPseudonymKey(text)) {
      const key = new Uint8Array(Buffer.from(text, 'base64'));
      await governance.replaceTenantSetting(tenant, PSEUDONYM_KEY_SETTING, text, wrap(tenant, key));
      return key;
    }
    const unwrapped = unwrapPseudonymKey(masterKeys.openWith, JSON.parse(text), tenant);
    if (!unwrapped.ok) {
      throw new Error(`the pseudonym key of tenant ${tenant} does not unwrap: ${unwrapped.reason}`);
    }
    return unwrapped.pseudonymKey;
  };
  return {
    async keyOf(tenant) {
      const text =
        (await governance.tenantSetting(tenant, PSEUDONYM_KEY_SETTING)) ??
        (await governance.initTenantSetting(
          tenant,
          PSEUDONYM_KEY_SETTING,
          wrap(tenant, new Uint8Array(randomBytes(32))),
        ));
      const cached = opened.get(tenant);
      if (cached?.text === text) return cached.key;
      const key = await open(tenant, text);
      if (opened.size > 1000) opened.clear();
      opened.set(tenant, { text, key });
      return key;
    },
  };
}
