// The privacy folder's one seam to node:crypto's ciphers (hashing stays in
// ledger/_crypto.ts), so that another runtime has a single file to replace.
import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';

/** AES-256-GCM with a 96-bit nonce and a full 128-bit tag: the only parameters used here. */
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** A source of uniformly random bytes; injected so that tests can fix it. */
export type RandomBytes = (length: number) => Uint8Array;

/** The default {@link RandomBytes}: the operating system's generator. */
export const systemRandom: RandomBytes = (length) => new Uint8Array(nodeCrypto.randomBytes(length));

/** Encrypts and authenticates `plaintext`, also authenticating `aad`. */
export function aesGcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): { readonly ciphertext: Uint8Array; readonly tag: Uint8Array } {
  const cipher = nodeCrypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  // The enciphered bytes and the tag are this call's own: handed out as they are, not copied.
  return {
    ciphertext: tail.length === 0 ? head : Buffer.concat([head, tail]),
    tag: cipher.getAuthTag(),
  };
}

/**
 * The plaintext, or undefined when the key is wrong or anything (nonce, ciphertext, tag,
 * aad) was altered: GCM cannot tell those apart, and callers should not try.
 */
export function aesGcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  // Node accepts truncated tags unless told otherwise; a short tag must not pass.
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = nodeCrypto.createDecipheriv('aes-256-gcm', key, nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const head = decipher.update(ciphertext);
    const tail = decipher.final();
    // The deciphered bytes are this call's own: handed out as they are, not copied again.
    const plaintext = tail.length === 0 ? head : Buffer.concat([head, tail]);
    return new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  } catch {
    return undefined;
  }
}

/** Checks a key's length; a wrong one is a bug in the caller, not bad input. */
export function assertKey(key: Uint8Array, what: string): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`${what} is ${KEY_BYTES} bytes`);
}

/** Draws `length` bytes and checks the source kept its promise. */
export function draw(random: RandomBytes, length: number): Uint8Array {
  const bytes = random(length);
  if (bytes.length !== length) throw new RangeError(`random source gave ${bytes.length} bytes`);
  return bytes;
}
