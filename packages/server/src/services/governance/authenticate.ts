import { isRole, type GovernanceStore } from '@declog/core';
import { DeclogError } from '../../errors.js';
import { apiKeyHash, apiKeyIdOf, BOOTSTRAP_KEY_ID, sameKeyHash } from './api-key-text.js';
import type { Principal } from './principal.js';

/**
 * The principal of a request's `Authorization: Bearer <key>` header. A missing, malformed,
 * unknown or revoked key is `unauthorized`; which of these it was is not told.
 */
export async function authenticate(
  governance: GovernanceStore,
  authorization: string | undefined,
): Promise<Principal> {
  if (authorization === undefined || authorization === '') {
    throw new DeclogError('unauthorized', 'send an API key: Authorization: Bearer <key>');
  }
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(authorization.trim());
  if (!match) {
    throw new DeclogError('unauthorized', 'the Authorization header must be "Bearer <key>"');
  }
  const text = match[1] as string;
  const presented = apiKeyHash(text);
  const record = await governance.keyById(apiKeyIdOf(text) ?? BOOTSTRAP_KEY_ID);
  // The hash is compared even when no key matched, so that timing tells nothing either.
  const stored = record?.secretHash ?? new Uint8Array(presented.length);
  const same = sameKeyHash(presented, stored);
  if (!record || !same || record.revokedAt !== null || !isRole(record.role)) {
    throw new DeclogError('unauthorized', 'the API key is not valid (unknown or revoked)');
  }
  return { keyId: record.id, name: record.name, role: record.role, tenant: record.tenant };
}

/**
 * The id of the stored key that an `Authorization` header names (`dlk_<id>_…`, or any other
 * text: the bootstrap key), when there is such a key; never any part of the secret.
 */
export async function presentedKeyId(
  governance: GovernanceStore,
  authorization: string | undefined,
): Promise<string | undefined> {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const id = apiKeyIdOf(match[1] as string) ?? BOOTSTRAP_KEY_ID;
  return (await governance.keyById(id)) ? id : undefined;
}
