import { decodeBase64, encodeBase64 } from './_base64.js';
import { utf8 } from './_bytes.js';
import { isNoteText } from './_note-text.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import type { NoteSigner, NoteVerifier } from './note-keys.js';
import { formatKeyId, isValidKeyName } from './note-keys.js';

/** Why a signed note was not opened. */
export type NoteFailureCode = 'malformed-note' | 'unknown-key' | 'bad-signature';

/** A signature that verified, identified by its key name and key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
}

// Go's sumdb/note stops at 100; the spec asks for at least 16. Bounds work on hostile input.
const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

/**
 * Signs `body` as a c2sp.org/signed-note: the body, a blank line, then one
 * `— <name> <base64(key ID ‖ signature)>` line per signer. The body must end in a
 * newline and hold no control characters but newlines; anything else is a bug in the
 * caller and throws a RangeError.
 */
export function signNote(body: string, signers: NoteSigner | readonly NoteSigner[]): string {
  const problem = bodyProblem(body);
  if (problem !== undefined) throw new RangeError(problem);
  const list: readonly NoteSigner[] = Array.isArray(signers) ? signers : [signers as NoteSigner];
  if (list.length === 0) throw new RangeError('a note needs at least one signer');
  const message = utf8(body);
  const lines = list.map((signer) => {
    if (!isValidKeyName(signer.name)) throw new RangeError(`invalid key name ${signer.name}`);
    const signature = signer.sign(message);
    const payload = new Uint8Array(4 + signature.length);
    new DataView(payload.buffer).setUint32(0, signer.keyId);
    payload.set(signature, 4);
    return `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(payload)}\n`;
  });
  return `${body}\n${lines.join('')}`;
}

/**
 * Opens a signed note: returns its body only if at least one signature is from a key
 * in `verifiers` and every such signature verifies. Signatures from other keys (a
 * different name or key ID) are ignored, as the spec requires, so witnesses can
 * cosign; a second signature line from the same known key is refused.
 */
export function openNote(
  text: string,
  verifiers: readonly NoteVerifier[],
):
  | { readonly ok: true; readonly body: string; readonly signatures: readonly NoteSignature[] }
  | Failure<NoteFailureCode> {
  if (typeof text !== 'string') return failure('malformed-note', 'a note is text');
  if (!isNoteText(text)) {
    return failure('malformed-note', 'control character or invalid UTF-8 in note');
  }
  const split = text.lastIndexOf('\n\n');
  if (split < 0) return failure('malformed-note', 'no blank line before the signatures');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) {
    return failure('malformed-note', 'signature block must be non-empty and end in a newline');
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) {
    return failure('malformed-note', `more than ${MAX_SIGNATURES} signatures`);
  }
  const message = utf8(body);
  const verified: NoteSignature[] = [];
  for (const line of lines) {
    const parsed = parseSignatureLine(line);
    if (parsed === undefined) return failure('malformed-note', `bad signature line: ${line}`);
    const verifier = verifiers.find((v) => v.name === parsed.name && v.keyId === parsed.keyId);
    if (verifier === undefined) continue;
    const label = `${parsed.name}+${formatKeyId(parsed.keyId)}`;
    if (verified.some((s) => s.name === parsed.name && s.keyId === parsed.keyId)) {
      return failure('malformed-note', `two signatures from ${label}`);
    }
    if (!verifier.verify(message, parsed.signature)) {
      return failure('bad-signature', `signature from ${label} does not verify`);
    }
    verified.push({ name: parsed.name, keyId: parsed.keyId });
  }
  if (verified.length === 0) {
    return failure('unknown-key', 'no signature from a known key');
  }
  return { ok: true, body, signatures: verified };
}

function parseSignatureLine(
  line: string,
): { readonly name: string; readonly keyId: number; readonly signature: Uint8Array } | undefined {
  if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return undefined;
  const name = rest.slice(0, space);
  const payload = decodeBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || payload === undefined || payload.length < 5) return undefined;
  const keyId = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
  return { name, keyId, signature: payload.subarray(4) };
}

function bodyProblem(body: string): string | undefined {
  if (!body.endsWith('\n')) return 'note body must end in a newline';
  if (!isNoteText(body)) {
    return 'note body must be valid UTF-8 without control characters other than newline';
  }
  return undefined;
}
