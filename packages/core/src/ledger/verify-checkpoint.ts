import type { Checkpoint } from './checkpoint.js';
import { parseCheckpoint } from './checkpoint.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import type { NoteVerifier } from './note-keys.js';
import { parseVerifierKey } from './note-keys.js';
import type { NoteFailureCode } from './signed-note.js';
import { openNote } from './signed-note.js';

/** Why a signed checkpoint was rejected. */
export type CheckpointVerifyFailureCode =
  NoteFailureCode | 'malformed-key' | 'malformed-checkpoint' | 'wrong-origin';

/** What a verifier pins for one log: its origin line and its public key. */
export interface PinnedLog {
  readonly origin: string;
  /** `<name>+<key id>+<key>` text, or an already parsed verifier. */
  readonly verifierKey: string | NoteVerifier;
}

/**
 * Opens a signed checkpoint against the pinned log: the note must carry a valid
 * signature from the pinned key, and the body must be a well-formed checkpoint for the
 * pinned origin. A checkpoint from another log, or signed by another key, is refused
 * even if it is otherwise perfect. Cosignatures from other keys are ignored.
 */
export function verifyCheckpoint(
  noteText: string,
  pinned: PinnedLog,
): { readonly ok: true; readonly checkpoint: Checkpoint } | Failure<CheckpointVerifyFailureCode> {
  let verifier: NoteVerifier;
  if (typeof pinned.verifierKey === 'string') {
    const parsed = parseVerifierKey(pinned.verifierKey);
    if (!parsed.ok) return parsed;
    verifier = parsed.verifier;
  } else {
    verifier = pinned.verifierKey;
  }
  const opened = openNote(noteText, [verifier]);
  if (!opened.ok) return opened;
  const parsed = parseCheckpoint(opened.body);
  if (!parsed.ok) return parsed;
  if (parsed.checkpoint.origin !== pinned.origin) {
    return failure(
      'wrong-origin',
      `checkpoint is for ${JSON.stringify(parsed.checkpoint.origin)}, expected ${JSON.stringify(pinned.origin)}`,
    );
  }
  return parsed;
}
