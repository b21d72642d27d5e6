import { bytesEqual, concatBytes, fromBase64, toHex, utf8 } from './bytes';
import { sha256 } from './merkle-hash';

/** A signed-note verifier key: `name+hexkeyid+base64(0x01 ‖ Ed25519 public key)`. */
export interface VerifierKey {
  readonly text: string;
  readonly name: string;
  /** The 4-byte key id. */
  readonly keyId: Uint8Array<ArrayBuffer>;
  readonly publicKey: Uint8Array<ArrayBuffer>;
}

export type VerifierKeyParse =
  { readonly ok: true; readonly key: VerifierKey } | { readonly ok: false; readonly why: string };

/** Reads a verifier key text and checks that its key id is the one its name and key give. */
export async function parseVerifierKey(text: string): Promise<VerifierKeyParse> {
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  if (first <= 0 || second < 0) return { ok: false, why: 'is not name+keyid+key' };
  const name = trimmed.slice(0, first);
  const idHex = trimmed.slice(first + 1, second);
  const key = fromBase64(trimmed.slice(second + 1));
  if (!/^[0-9a-f]{8}$/.test(idHex)) return { ok: false, why: 'its key id is not 8 hex digits' };
  if (key === null || key.length !== 33 || key[0] !== 1) {
    return { ok: false, why: 'its key is not an Ed25519 key (0x01 and 32 bytes)' };
  }
  const keyId = Uint8Array.from(idHex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  const expected = (await sha256(concatBytes(utf8(name), Uint8Array.of(0x0a), key))).slice(0, 4);
  if (!bytesEqual(expected, keyId)) {
    return { ok: false, why: 'its key id does not match its name and key' };
  }
  return { ok: true, key: { text: trimmed, name, keyId, publicKey: key.slice(1) } };
}

/**
 * A fingerprint to compare by eye or read out on the phone: SHA-256 of the public key, its
 * first 16 bytes in groups of four hex digits.
 */
export async function keyFingerprint(key: VerifierKey): Promise<string> {
  const digest = toHex((await sha256(key.publicKey)).slice(0, 16));
  return (digest.match(/.{4}/g) ?? []).join(' ');
}
