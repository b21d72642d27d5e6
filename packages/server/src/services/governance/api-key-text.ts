import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The id of the bootstrap admin key (`DECLOG_ADMIN_KEY`, or the one generated on first start). */
export const BOOTSTRAP_KEY_ID = 'admin';

const KEY_TEXT = /^dlk_([a-z0-9]{5,32})_([A-Za-z0-9_-]{43})$/;

/**
 * A new API key: `dlk_<id>_<secret>`, the id public (it names the key in lists and the access
 * trail), the secret 32 random bytes in base64url.
 */
export function newApiKey(
  id: string = randomBytes(6).toString('hex'),
  random: (size: number) => Uint8Array = randomBytes,
): { readonly id: string; readonly text: string } {
  return { id, text: `dlk_${id}_${Buffer.from(random(32)).toString('base64url')}` };
}

/** The id in a key text of declog's form, or null (the bootstrap key may be any text). */
export function apiKeyIdOf(text: string): string | null {
  return KEY_TEXT.exec(text)?.[1] ?? null;
}

/** What is stored of a key: the SHA-256 of its whole text (secrets have 256 bits of entropy). */
export function apiKeyHash(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

/** Compares a presented key's hash with a stored one in constant time. */
export function sameKeyHash(presented: Uint8Array, stored: Uint8Array): boolean {
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Why a `DECLOG_ADMIN_KEY` value is unusable, or null. */
export function adminKeyProblem(text: string): string | null {
  if (text.length < 24) return 'must be at least 24 characters';
  if (text.length > 256) return 'must be at most 256 characters';
  if (!/^[\x21-\x7e]+$/.test(text)) return 'must be printable ASCII without spaces';
  const id = apiKeyIdOf(text);
  if (id !== null && id !== BOOTSTRAP_KEY_ID) {
    return `has the form of key ${id}; a bootstrap key is any other text, or dlk_admin_…`;
  }
  return null;
}
