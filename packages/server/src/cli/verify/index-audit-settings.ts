import { randomBytes, randomInt } from 'node:crypto';
import {
  FINGERPRINT_MODULUS,
  type FingerprintKey,
  type GovernanceStore,
  type MasterKeyRing,
} from '@declog/core';
import type { IndexAudit } from '../../services/ledger/check-index.js';
import { sealedOpener } from '../../services/ledger/sealed-opener.js';
import { openIndexReader } from '../../store/open-store.js';

/** What an audit of a log's index needs, as plain data that can cross to a worker thread. */
export interface IndexAuditSettings {
  readonly logId: string;
  readonly tenant: string;
  readonly key: FingerprintKey;
  /** With the master keys, sealed records are opened against their leaves' commitments. */
  readonly masterKeys?: MasterKeyRing;
}

/** A fingerprint key drawn from the system's generator, for one audit. */
export function newFingerprintKey(): FingerprintKey {
  return {
    multiplier: randomInt(1, FINGERPRINT_MODULUS),
    secret: new Uint8Array(randomBytes(32)),
  };
}

/** The audit `settings` describe, reading the database at `location`. */
export async function openIndexAudit(
  location: string,
  settings: IndexAuditSettings,
  governance: GovernanceStore,
): Promise<IndexAudit> {
  const reader = await openIndexReader(location, settings.logId, settings.tenant);
  return {
    reader,
    key: settings.key,
    ...(settings.masterKeys
      ? { openSealed: sealedOpener(governance, settings.tenant, settings.masterKeys) }
      : {}),
  };
}
