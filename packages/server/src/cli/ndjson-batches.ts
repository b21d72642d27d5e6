import { createInterface } from 'node:readline';

/** A run of NDJSON lines with their 1-based line numbers in the input. */
export interface LineBatch {
  readonly lines: readonly string[];
  readonly lineNumbers: readonly number[];
  /** Input bytes consumed up to the end of this batch, for progress. */
  readonly bytesRead: number;
}

/**
 * Splits NDJSON input into batches of at most `maxEvents` lines and `maxBytes` bytes,
 * skipping blank lines, without holding more than one batch in memory.
 */
export async function* ndjsonBatches(
  input: NodeJS.ReadableStream,
  maxEvents: number,
  maxBytes: number,
): AsyncGenerator<LineBatch> {
  let lines: string[] = [];
  let lineNumbers: number[] = [];
  let batchBytes = 0;
  let bytesRead = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    const size = Buffer.byteLength(line) + 1;
    bytesRead += size;
    if (line.trim() === '') continue;
    if (lines.length >= maxEvents || (lines.length > 0 && batchBytes + size > maxBytes)) {
      yield { lines, lineNumbers, bytesRead: bytesRead - size };
      lines = [];
      lineNumbers = [];
      batchBytes = 0;
    }
    lines.push(line);
    lineNumbers.push(lineNumber);
    batchBytes += size;
  }
  if (lines.length > 0) yield { lines, lineNumbers, bytesRead };
}
