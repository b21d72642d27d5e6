import { join } from 'node:path';
import type { DurableStorage } from '../internal/spool.js';
import { deadLetterFile } from './dead-letter-file.js';
import { FileSpool } from './file-spool.js';

export interface DurableStorageOptions {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  /** Default: `dead-letter.ndjson` in the spool folder. */
  readonly deadLetterFile: string | undefined;
  readonly now: () => number;
}

/** Opens the Node-only spool and dead-letter file; loaded with import() when spoolDir is set. */
export async function openDurableStorage(options: DurableStorageOptions): Promise<DurableStorage> {
  const { spool, problems } = await FileSpool.open(options);
  const path = options.deadLetterFile ?? join(options.dir, 'dead-letter.ndjson');
  return { spool, deadLetters: deadLetterFile(path, options.now), problems };
}
