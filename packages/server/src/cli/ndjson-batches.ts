import { Buffer } from 'node:buffer';
import { isDeclogError } from '../errors.js';
import { utf8Text } from '../services/utf8-text.js';

/** A run of NDJSON lines with their 1-based line numbers in the input. */
export interface LineBatch {
  readonly lines: readonly string[];
  readonly lineNumbers: readonly number[];
  /** For each line, why it cannot be sent (its bytes are not UTF-8), or null. */
  readonly problems: readonly (string | null)[];
  /** Input bytes consumed up to the end of this batch, for progress. */
  readonly bytesRead: number;
}

/**
 * Splits NDJSON input into batches of at most `maxEvents` lines and `maxBytes` bytes,
 * skipping blank lines, without holding more than one batch in memory. Lines end at `\n` (a
 * `\r` before it is dropped), as the server splits an NDJSON body. The input is read as
 * bytes: a line that is not UTF-8 comes with its problem instead of being decoded with
 * U+FFFD in place of its bad bytes.
 */
export async function* ndjsonBatches(
  input: NodeJS.ReadableStream,
  maxEvents: number,
  maxBytes: number,
): AsyncGenerator<LineBatch> {
  let batch = emptyBatch();
  let bytesRead = 0;
  let lineNumber = 0;
  let partial: Buffer[] = [];

  /** Adds a line; returns the batch it completes, if it starts a new one. */
  function add(bytes: Buffer, size: number): LineBatch | null {
    lineNumber += 1;
    bytesRead += size;
    const [text, problem] = decode(bytes);
    if (problem === null && text.trim() === '') return null;
    let full: LineBatch | null = null;
    if (
      batch.lines.length >= maxEvents ||
      (batch.lines.length > 0 && batch.bytes + size > maxBytes)
    ) {
      full = { ...batch, bytesRead: bytesRead - size };
      batch = emptyBatch();
    }
    batch.lines.push(text);
    batch.lineNumbers.push(lineNumber);
    batch.problems.push(problem);
    batch.bytes += size;
    return full;
  }

  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
      const piece = bytes.subarray(start, end);
      const line = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
      partial = [];
      start = end + 1;
      const full = add(line, line.length + 1);
      if (full) yield full;
    }
    // Copied: a stream may reuse its chunk's memory.
    if (start < bytes.length) partial.push(Buffer.from(bytes.subarray(start)));
  }
  if (partial.length > 0) {
    const line = Buffer.concat(partial);
    const full = add(line, line.length);
    if (full) yield full;
  }
  if (batch.lines.length > 0) yield { ...batch, bytesRead };
}

function emptyBatch(): {
  lines: string[];
  lineNumbers: number[];
  problems: (string | null)[];
  bytes: number;
} {
  return { lines: [], lineNumbers: [], problems: [], bytes: 0 };
}

/** A line's text without a final `\r`, or why it has none. */
function decode(bytes: Buffer): [string, string | null] {
  const line = bytes.at(-1) === 0x0d ? bytes.subarray(0, -1) : bytes;
  try {
    return [utf8Text(line, 'the line'), null];
  } catch (error) {
    if (!isDeclogError(error)) throw error;
    return ['', error.message];
  }
}
