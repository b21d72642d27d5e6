import type { Checkpoint } from './checkpoint.js';
import { formatCheckpoint } from './checkpoint.js';
import type { NoteSigner } from './note-keys.js';
import { signNote } from './signed-note.js';

/**
 * Formats and signs a checkpoint as a signed note. c2sp.org/tlog-checkpoint says the
 * log's key name should equal the origin; that is the caller's configuration to get
 * right, so it is not enforced here.
 */
export function signCheckpoint(
  checkpoint: Omit<Checkpoint, 'extensions'> & { readonly extensions?: readonly string[] },
  signer: NoteSigner,
): string {
  return signNote(formatCheckpoint(checkpoint), signer);
}
