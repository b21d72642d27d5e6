// Wrapping of 32-byte keys under master keys, shared by every kind of wrapped key; each kind
// brings its own associated data (wrapped-subject-key.ts, wrapped-pseudonym-key.ts, …).
import { decodeBase64, encodeBase64 } from '../ledger/_base64.js';
import { failure, type Failure } from '../ledger/failure.js';
import {
  NONCE_BYTES,
  aesGcmOpen,
  aesGcmSeal,
  assertKey,
  draw,
  type RandomBytes,
} from './_aes-gcm.js';
import type { MasterKey } from './master-key.js';
import { parseStoredWrappedKey } from './_parse-stored-wrapped-key.js';
import { isWrappingList, type StoredWrappedKey, type WrappedKey } from './wrapped-key.js';

/** Why a wrapped key could not be unwrapped. */
export type UnwrapFailureCode = 'malformed-wrapped-key' | 'unknown-master-key' | 'undecryptable';

export type Unwrapped =
  { readonly ok: true; readonly key: Uint8Array } | Failure<UnwrapFailureCode>;

/** Whose key a wrapping holds: its associated data, and how errors name the owner. */
export interface WrapContext {
  readonly aad: Uint8Array;
  readonly owner: string;
}

export function keyList(keys: MasterKey | readonly MasterKey[]): readonly MasterKey[] {
  return Array.isArray(keys) ? keys : [keys as MasterKey];
}

/** @throws RangeError when a key is not 32 bytes. */
export function wrapKey(
  masterKey: MasterKey,
  key: Uint8Array,
  { aad }: WrapContext,
  random: RandomBytes,
): WrappedKey {
  assertKey(masterKey.bytes, 'a master key');
  assertKey(key, 'a wrapped key');
  const nonce = draw(random, NONCE_BYTES);
  const { ciphertext, tag } = aesGcmSeal(masterKey.bytes, nonce, key, aad);
  return {
    alg: 'A256GCM',
    master_key_id: masterKey.id,
    nonce: encodeBase64(nonce),
    wrapped_key: encodeBase64(ciphertext),
    tag: encodeBase64(tag),
  };
}

/** The key wrapped under each of `masterKeys`: one record for one key, else a list. */
export function wrapKeyUnder(
  masterKeys: readonly MasterKey[],
  key: Uint8Array,
  context: WrapContext,
  random: RandomBytes,
): StoredWrappedKey {
  if (masterKeys.length === 0)
    throw new RangeError('a key is wrapped under at least one master key');
  const wrappings = masterKeys.map((masterKey) => wrapKey(masterKey, key, context, random));
  return wrappings.length === 1 ? (wrappings[0] as WrappedKey) : wrappings;
}

/** Opens the first wrapping that one of `masterKeys` opens. */
export function unwrapKey(
  masterKeys: readonly MasterKey[],
  stored: unknown,
  context: WrapContext,
): Unwrapped {
  const wrappings = parseStoredWrappedKey(stored);
  if (wrappings === undefined) {
    return failure('malformed-wrapped-key', 'the wrapped key is malformed');
  }
  let opener: string | undefined;
  for (const wrapping of wrappings) {
    const masterKey = masterKeys.find((k) => k.id === wrapping.masterKeyId);
    if (masterKey === undefined) continue;
    opener ??= masterKey.id;
    const { nonce, wrappedKey, tag } = wrapping;
    const key = aesGcmOpen(masterKey.bytes, nonce, wrappedKey, tag, context.aad);
    // Copied into memory of its own: keys are kept (a server caches thousands), and 32 bytes
    // on V8's heap cost less to keep than the deciphered buffer they came in.
    if (key !== undefined) return { ok: true, key: new Uint8Array(key) };
  }
  const ids = wrappings.map((w) => w.masterKeyId).join(', ');
  return opener === undefined
    ? failure('unknown-master-key', `the key was wrapped by master key ${ids}, not given`)
    : failure(
        'undecryptable',
        `master key ${opener} does not open this record for ${context.owner}`,
      );
}

/**
 * The stored key wrapped under exactly `to`, in that order. Wrappings under a key of `to`
 * that open to the same key are kept as they are; when nothing changes, `stored` itself is
 * returned, so that callers can tell (and a rotation can be run again).
 */
export function rewrapKey(
  stored: StoredWrappedKey,
  context: WrapContext,
  keys: {
    readonly from: readonly MasterKey[];
    readonly to: readonly MasterKey[];
    readonly random: RandomBytes;
  },
): { readonly ok: true; readonly record: StoredWrappedKey } | Failure<UnwrapFailureCode> {
  if (keys.to.length === 0) throw new RangeError('a key is wrapped under at least one master key');
  const opened = unwrapKey([...keys.to, ...keys.from], stored, context);
  if (!opened.ok) return opened;
  const existing = isWrappingList(stored) ? stored : [stored];
  const wrappings = keys.to.map((masterKey) => {
    const kept = existing.find(
      (w) =>
        w.master_key_id === masterKey.id &&
        sameBytes(openWrapping(masterKey, w, context.aad), opened.key),
    );
    return kept ?? wrapKey(masterKey, opened.key, context, keys.random);
  });
  opened.key.fill(0);
  const sameShape = isWrappingList(stored) === wrappings.length > 1;
  if (
    sameShape &&
    wrappings.length === existing.length &&
    wrappings.every((w, i) => w === existing[i])
  ) {
    return { ok: true, record: stored };
  }
  return { ok: true, record: wrappings.length === 1 ? (wrappings[0] as WrappedKey) : wrappings };
}

function openWrapping(
  masterKey: MasterKey,
  wrapping: WrappedKey,
  aad: Uint8Array,
): Uint8Array | undefined {
  return aesGcmOpen(
    masterKey.bytes,
    decodeBase64(wrapping.nonce) ?? new Uint8Array(),
    decodeBase64(wrapping.wrapped_key) ?? new Uint8Array(),
    decodeBase64(wrapping.tag) ?? new Uint8Array(),
    aad,
  );
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);
}
