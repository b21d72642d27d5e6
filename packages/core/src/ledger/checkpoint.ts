import { decodeBase64, encodeBase64 } from './_base64.js';
import { isNoteText } from './_note-text.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import { HASH_SIZE } from './hashes.js';

/**
 * A c2sp.org/tlog-checkpoint body: which log, how many leaves, and their root. The
 * body is what gets signed; see signCheckpoint and verifyCheckpoint.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque extra lines after the root, kept verbatim (without newlines). */
  readonly extensions: readonly string[];
}

/** Why a checkpoint body was rejected. */
export type CheckpointFailureCode = 'malformed-checkpoint';

/**
 * Formats a checkpoint body: origin, decimal size and base64 root, one per line, then
 * any extension lines. Invalid fields are the caller's bug and throw a RangeError.
 *
 * @example formatCheckpoint({ origin: 'log.example/declog', size: 8, rootHash })
 * // 'log.example/declog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'
 */
export function formatCheckpoint(checkpoint: {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!isValidLine(origin)) throw new RangeError('origin must be a non-empty single line');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad tree size ${size}`);
  if (rootHash.length !== HASH_SIZE) throw new RangeError('root hash must be 32 bytes');
  if (!extensions.every(isValidLine)) {
    throw new RangeError('extension lines must be non-empty single lines');
  }
  return [origin, String(size), encodeBase64(rootHash), ...extensions]
    .map((l) => `${l}\n`)
    .join('');
}

/**
 * Parses a checkpoint body strictly: a non-empty origin, a size in decimal without
 * leading zeros (and at most 2^53 − 1), a canonical base64 32-byte root, then
 * non-empty extension lines; the text ends in a newline.
 */
export function parseCheckpoint(
  text: string,
): { readonly ok: true; readonly checkpoint: Checkpoint } | Failure<CheckpointFailureCode> {
  if (typeof text !== 'string' || !text.endsWith('\n')) {
    return failure('malformed-checkpoint', 'checkpoint must end in a newline');
  }
  const [origin, sizeText, rootText, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || !isValidLine(origin)) {
    return failure('malformed-checkpoint', 'origin must be a non-empty line');
  }
  if (sizeText === undefined || !/^(0|[1-9][0-9]*)$/.test(sizeText)) {
    return failure('malformed-checkpoint', 'size must be decimal without leading zeros');
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) {
    return failure('malformed-checkpoint', `size ${sizeText} is beyond 2^53 - 1`);
  }
  const rootHash = rootText === undefined ? undefined : decodeBase64(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) {
    return failure('malformed-checkpoint', 'root hash must be canonical base64 of 32 bytes');
  }
  if (!extensions.every(isValidLine)) {
    return failure('malformed-checkpoint', 'extension lines must be non-empty');
  }
  return { ok: true, checkpoint: { origin, size, rootHash, extensions } };
}

// Also refuses what a signed note may not contain, since checkpoints travel as notes.
function isValidLine(line: string): boolean {
  return line.length > 0 && !line.includes('\n') && isNoteText(line);
}
