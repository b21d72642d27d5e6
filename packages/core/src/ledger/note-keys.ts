import { encodeBase64, decodeBase64 } from './_base64.js';
import { utf8 } from './_bytes.js';
import { ed25519PrivateKey, ed25519Verifier, randomEd25519Seed, sha256 } from './_crypto.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';

/** Signature type byte for Ed25519 in c2sp.org/signed-note. */
const ED25519 = 0x01;

/**
 * Signs note text under a key name. An interface rather than a key so that a KMS or
 * HSM can stand in for the in-process Ed25519 key.
 */
export interface NoteSigner {
  readonly name: string;
  /** uint32 key ID, the first four bytes of the key hash, big-endian. */
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** Checks signatures made under one (name, key ID) pair. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Why a key text was rejected. */
export type KeyFailureCode = 'malformed-key';

/**
 * c2sp.org/signed-note key ID: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4] as a
 * big-endian uint32. The type byte lets one key serve several algorithms unambiguously.
 */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const nameBytes = utf8(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = ED25519;
  input.set(publicKey, nameBytes.length + 2);
  const digest = sha256(input);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/**
 * Whether `name` may name a key: non-empty, no Unicode space, no "+" (which separates
 * key text fields) and no control character.
 */
export function isValidKeyName(name: string): boolean {
  // \p{Cc}: control characters; \p{Cs}: lone surrogates, which are not valid UTF-8.
  return name.length > 0 && !/[\s+]|\p{Cc}|\p{Cs}/u.test(name);
}

/**
 * Creates an Ed25519 note key pair in the Go golang.org/x/mod/sumdb/note text forms:
 * `PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 ‖ seed)>` and
 * `<name>+<key id hex>+<base64(0x01 ‖ public key)>`. Pass `seed` for a deterministic
 * key; the default draws a fresh one.
 *
 * @example const { signerKey, verifierKey } = generateSigner('log.example/declog');
 */
export function generateSigner(
  name: string,
  options: { readonly seed?: Uint8Array } = {},
): { readonly signerKey: string; readonly verifierKey: string } {
  if (!isValidKeyName(name)) throw new RangeError(`invalid key name ${JSON.stringify(name)}`);
  const seed = options.seed ?? randomEd25519Seed();
  const { publicKey } = ed25519PrivateKey(seed);
  const id = formatKeyId(noteKeyId(name, publicKey));
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${encodeBase64(withType(seed))}`,
    verifierKey: `${name}+${id}+${encodeBase64(withType(publicKey))}`,
  };
}

/** Parses a `PRIVATE+KEY+…` signer key text, checking its key ID against the key. */
export function parseSignerKey(
  text: string,
): { readonly ok: true; readonly signer: NoteSigner } | Failure<KeyFailureCode> {
  const prefix = 'PRIVATE+KEY+';
  if (!text.startsWith(prefix))
    return failure('malformed-key', 'signer key must start PRIVATE+KEY+');
  const fields = splitKey(text.slice(prefix.length));
  if (!fields.ok) return fields;
  const key = ed25519PrivateKey(fields.key);
  const keyId = noteKeyId(fields.name, key.publicKey);
  if (keyId !== fields.keyId) return failure('malformed-key', 'key ID does not match the key');
  return { ok: true, signer: { name: fields.name, keyId, sign: key.sign } };
}

/** Parses a `<name>+<key id>+<key>` verifier key text, checking its key ID against the key. */
export function parseVerifierKey(
  text: string,
): { readonly ok: true; readonly verifier: NoteVerifier } | Failure<KeyFailureCode> {
  const fields = splitKey(text);
  if (!fields.ok) return fields;
  const verify = ed25519Verifier(fields.key);
  if (verify === undefined) return failure('malformed-key', 'not an Ed25519 public key');
  if (noteKeyId(fields.name, fields.key) !== fields.keyId) {
    return failure('malformed-key', 'key ID does not match the key');
  }
  return { ok: true, verifier: { name: fields.name, keyId: fields.keyId, verify } };
}

/** Formats a key ID the way key texts and logs show it: eight lowercase hex digits. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

// name+hex+base64: the base64 alphabet contains "+", so only the first two "+" split.
function splitKey(
  text: string,
):
  | { readonly ok: true; readonly name: string; readonly keyId: number; readonly key: Uint8Array }
  | Failure<KeyFailureCode> {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return failure('malformed-key', 'key text must be name+keyid+key');
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const typed = decodeBase64(text.slice(second + 1));
  if (!isValidKeyName(name)) return failure('malformed-key', 'invalid key name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) return failure('malformed-key', 'key ID must be 8 hex digits');
  if (typed === undefined) return failure('malformed-key', 'key is not canonical base64');
  if (typed.length !== 33 || typed[0] !== ED25519) {
    return failure('malformed-key', 'only Ed25519 (type 0x01, 32-byte) keys are supported');
  }
  return { ok: true, name, keyId: Number.parseInt(idHex, 16), key: typed.subarray(1) };
}

function withType(key: Uint8Array): Uint8Array {
  const typed = new Uint8Array(key.length + 1);
  typed[0] = ED25519;
  typed.set(key, 1);
  return typed;
}
