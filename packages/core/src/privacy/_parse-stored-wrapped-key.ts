import { decodeBase64 } from '../ledger/_base64.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './_aes-gcm.js';
import { hasExactMembers } from './_exact-members.js';
import { StoredWrappedKey } from './wrapped-key.js';

/** One wrapping of a stored key, its binary members decoded. */
export interface DecodedWrapping {
  readonly masterKeyId: string;
  readonly nonce: Uint8Array;
  readonly wrappedKey: Uint8Array;
  readonly tag: Uint8Array;
}

const MEMBERS = ['alg', 'master_key_id', 'nonce', 'wrapped_key', 'tag'];
const MAX_WRAPPINGS = 8;

/**
 * The wrappings of a {@link StoredWrappedKey}, in stored order, or undefined when the schema
 * refuses `value`. A read unwraps the key of each subject of a page that is not at hand, so
 * the usual case (one JSON.parse made) is checked by hand, decoding each member once (a
 * third of the time of the schema and the decoding after it); whatever that check does not
 * accept is left to the schema, so the answer is always the schema's.
 */
export function parseStoredWrappedKey(value: unknown): readonly DecodedWrapping[] | undefined {
  const wrappings = decodedWrappings(value);
  if (wrappings !== undefined) return wrappings;
  const parsed = StoredWrappedKey.safeParse(value);
  // What the schema takes is then plain objects of valid members, which the check accepts.
  return parsed.success ? decodedWrappings(parsed.data) : undefined;
}

/** Accepts only what {@link StoredWrappedKey} accepts, though perhaps not all of it. */
export function decodedWrappings(value: unknown): readonly DecodedWrapping[] | undefined {
  if (!Array.isArray(value)) {
    const wrapping = decodedWrapping(value);
    return wrapping === undefined ? undefined : [wrapping];
  }
  if (value.length === 0 || value.length > MAX_WRAPPINGS) return undefined;
  const wrappings: DecodedWrapping[] = [];
  for (const item of value as unknown[]) {
    const wrapping = decodedWrapping(item);
    if (wrapping === undefined) return undefined;
    wrappings.push(wrapping);
  }
  return wrappings;
}

function decodedWrapping(value: unknown): DecodedWrapping | undefined {
  if (!hasExactMembers(value, MEMBERS)) return undefined;
  const { alg, master_key_id: masterKeyId, nonce, wrapped_key: wrappedKey, tag } = value;
  if (alg !== 'A256GCM' || typeof masterKeyId !== 'string' || !isKeyId(masterKeyId)) {
    return undefined;
  }
  if (typeof nonce !== 'string' || typeof wrappedKey !== 'string' || typeof tag !== 'string') {
    return undefined;
  }
  const nonceBytes = decodeBase64(nonce);
  const keyBytes = decodeBase64(wrappedKey);
  const tagBytes = decodeBase64(tag);
  if (nonceBytes?.length !== NONCE_BYTES || keyBytes?.length !== KEY_BYTES) return undefined;
  if (tagBytes?.length !== TAG_BYTES) return undefined;
  return { masterKeyId, nonce: nonceBytes, wrappedKey: keyBytes, tag: tagBytes };
}

/** 16 lower-case hex digits, as the schema's pattern says. */
function isKeyId(text: string): boolean {
  if (text.length !== 16) return false;
  for (let i = 0; i < 16; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}
