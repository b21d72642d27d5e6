import { fromBase64, utf8 } from './bytes';
import type { VerifierKey } from './verifier-key';

/** A C2SP tlog-checkpoint in a signed note, read but not yet trusted. */
export interface CheckpointNote {
  readonly text: string;
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array<ArrayBuffer>;
  /** The signed message: the body up to and including its last newline. */
  readonly body: Uint8Array<ArrayBuffer>;
  readonly signatures: readonly {
    readonly name: string;
    readonly keyId: Uint8Array;
    readonly signature: Uint8Array<ArrayBuffer>;
  }[];
}

export type CheckpointParse =
  | { readonly ok: true; readonly note: CheckpointNote }
  | { readonly ok: false; readonly why: string };

/** Reads a signed checkpoint note (docs/ledger.md, "Checkpoints"). */
export function parseCheckpointNote(text: string): CheckpointParse {
  const split = text.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, why: 'the checkpoint has no signature block' };
  const bodyText = text.slice(0, split + 1);
  const lines = bodyText.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (origin === undefined || origin === '')
    return { ok: false, why: 'the checkpoint has no origin' };
  if (sizeText === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) {
    return { ok: false, why: 'the checkpoint size is not a decimal number' };
  }
  const root = fromBase64(rootText ?? '');
  if (root === null || root.length !== 32) {
    return { ok: false, why: 'the checkpoint root is not 32 bytes of base64' };
  }
  const signatures: {
    name: string;
    keyId: Uint8Array;
    signature: Uint8Array<ArrayBuffer>;
  }[] = [];
  for (const line of text.slice(split + 2).split('\n')) {
    if (line === '') continue;
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    const blob = match ? fromBase64(match[2] ?? '') : null;
    if (!match || blob === null || blob.length < 5) {
      return { ok: false, why: 'a signature line is malformed' };
    }
    signatures.push({ name: match[1] ?? '', keyId: blob.slice(0, 4), signature: blob.slice(4) });
  }
  return {
    ok: true,
    note: { text, origin, size: Number(sizeText), root, body: utf8(bodyText), signatures },
  };
}

/**
 * Whether one signature line of the note is the pinned key's and verifies (Ed25519 with
 * WebCrypto). Lines of other keys (witnesses) are ignored, as the signed-note spec says.
 */
export async function checkpointSignedBy(note: CheckpointNote, key: VerifierKey): Promise<boolean> {
  const publicKey = await crypto.subtle.importKey(
    'raw',
    key.publicKey,
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  for (const line of note.signatures) {
    if (line.name !== key.name || !sameBytes(line.keyId, key.keyId)) continue;
    if (line.signature.length !== 64) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, line.signature, note.body)) {
      return true;
    }
  }
  return false;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
