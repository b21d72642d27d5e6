import { Buffer } from 'node:buffer';
import { decodeBase64 } from '../ledger/_base64.js';
import { sha256 } from '../ledger/_crypto.js';
import { failure, type Failure } from '../ledger/failure.js';
import { KEY_BYTES } from './_aes-gcm.js';

/** The key that wraps every subject key at rest. */
export interface MasterKey {
  /** {@link masterKeyId} of the key: what wrapped records name their wrapper by. */
  readonly id: string;
  readonly bytes: Uint8Array;
}

/** Why a master key text was refused. */
export type MasterKeyFailureCode = 'malformed-master-key';

/**
 * The id of a master key: the first 8 bytes of SHA-256 of its 32 bytes, in lower-case hex.
 * It identifies, it does not reveal: the key is 256 random bits, so its hash gives nothing
 * away, and 64 bits keep two keys of one deployment from sharing an id.
 */
export function masterKeyId(bytes: Uint8Array): string {
  return Buffer.from(sha256(bytes).subarray(0, 8)).toString('hex');
}

/**
 * Reads a master key from the text of a file or environment variable: 64 hex characters or
 * the standard base64 of 32 bytes, surrounding whitespace ignored. Errors never quote the
 * text, which may be a secret with a typo in it.
 *
 * @example parseMasterKey(readFileSync(path, 'utf8')) // generate one: openssl rand -hex 32
 */
export function parseMasterKey(
  text: string,
): { readonly ok: true; readonly key: MasterKey } | Failure<MasterKeyFailureCode> {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]*$/.test(trimmed)
    ? trimmed.length === 2 * KEY_BYTES
      ? new Uint8Array(Buffer.from(trimmed, 'hex'))
      : undefined
    : decodeBase64(trimmed);
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    const got = bytes === undefined ? `${trimmed.length} characters` : `${bytes.length} bytes`;
    return failure(
      'malformed-master-key',
      `a master key is 64 hex characters or the base64 of 32 bytes (got ${got}); ` +
        'generate one with: openssl rand -hex 32',
    );
  }
  if (bytes.every((b) => b === bytes[0])) {
    return failure('malformed-master-key', 'the master key repeats one byte: a placeholder?');
  }
  return { ok: true, key: { id: masterKeyId(bytes), bytes } };
}
