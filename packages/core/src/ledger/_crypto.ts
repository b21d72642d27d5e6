// The only file in the ledger that touches node:crypto, so that a browser build (the
// dashboard verifying proofs) has a single seam to replace. Everything here is pure
// computation apart from `randomEd25519Seed`, which callers reach only through an
// overridable default.
import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';

// The digest comes back as a latin1 ('binary') string and is copied into Buffer's pool: a
// 'buffer' result would get a memory block of its own, which costs more than the hash of a
// leaf or node, and the garbage collector again later.
const hashOnce: ((data: Uint8Array | string) => Uint8Array) | undefined =
  typeof nodeCrypto.hash === 'function'
    ? (data) => toPlainBytes(Buffer.from(nodeCrypto.hash('sha256', data, 'binary'), 'latin1'))
    : undefined;

/** SHA-256 of the UTF-8 encoding of `text`, without building the bytes first. */
export function sha256OfText(text: string): Uint8Array {
  if (hashOnce !== undefined) return hashOnce(text);
  return toPlainBytes(nodeCrypto.createHash('sha256').update(text, 'utf8').digest());
}

/** SHA-256 of `data`. Uses the one-shot `crypto.hash` (Node ≥ 20.12), which skips the Hash object. */
export function sha256(data: Uint8Array): Uint8Array {
  if (hashOnce !== undefined) return hashOnce(data);
  return toPlainBytes(nodeCrypto.createHash('sha256').update(data).digest());
}

/**
 * Writes SHA-256 of `data` into `out` at `offset`: hashing up a tile makes hundreds of
 * digests in a row, and copying each straight to its place saves half their cost.
 */
export function sha256Into(data: Uint8Array, out: Buffer, offset: number): void {
  if (typeof nodeCrypto.hash === 'function') {
    out.write(nodeCrypto.hash('sha256', data, 'binary'), offset, 'latin1');
  } else {
    out.set(nodeCrypto.createHash('sha256').update(data).digest(), offset);
  }
}

/** Standard padded base64 of SHA-256 of `prefix ‖ UTF-8 of text`, hashed in one call. */
export function sha256Base64(prefix: Uint8Array, text: string): string {
  // One buffer from the pool: a fresh one of its own costs more than the hash.
  const input = Buffer.allocUnsafe(prefix.length + Buffer.byteLength(text, 'utf8'));
  input.set(prefix, 0);
  input.write(text, prefix.length, 'utf8');
  if (typeof nodeCrypto.hash === 'function') return nodeCrypto.hash('sha256', input, 'base64');
  return nodeCrypto.createHash('sha256').update(input).digest('base64');
}

/** HMAC-SHA256 of `data` under `key`: the keyed pseudonyms of masking. */
export function hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  return toPlainBytes(nodeCrypto.createHmac('sha256', key).update(data).digest());
}

// DER headers that turn a raw RFC 8032 key into PKCS#8 / SPKI, the forms node:crypto imports.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 private key ready to sign, with its raw 32-byte public key. */
export interface Ed25519PrivateKey {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Builds a signing key from a raw 32-byte RFC 8032 seed. */
export function ed25519PrivateKey(seed: Uint8Array): Ed25519PrivateKey {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const key = nodeCrypto.createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = nodeCrypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length));
  return {
    publicKey,
    sign: (message) => toPlainBytes(nodeCrypto.sign(null, message, key)),
  };
}

/**
 * Builds a verifying function from a raw 32-byte public key. Returns undefined when
 * the bytes are not a usable key, so that parsing can report it instead of throwing.
 */
export function ed25519Verifier(
  publicKey: Uint8Array,
): ((message: Uint8Array, signature: Uint8Array) => boolean) | undefined {
  if (publicKey.length !== 32) return undefined;
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return undefined;
  }
  return (message, signature) => {
    if (signature.length !== 64) return false;
    try {
      return nodeCrypto.verify(null, message, key, signature);
    } catch {
      return false;
    }
  };
}

/** A fresh random Ed25519 seed, drawn through the same key generator node uses for keys. */
export function randomEd25519Seed(): Uint8Array {
  const { privateKey } = nodeCrypto.generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(PKCS8_ED25519_PREFIX.length));
}

// Buffers compare unequal to Uint8Arrays in some test matchers and carry Node-only
// methods; hand out plain views over the same memory (no copy).
function toPlainBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
