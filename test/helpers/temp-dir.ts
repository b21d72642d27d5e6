import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface TempDir {
  readonly path: string;
  /** A path inside the directory; nothing is created. */
  file(name: string): string;
}

/**
 * A fresh directory for one test file, removed after its tests. Call it at the top of the file.
 *
 * @example const tmp = useTempDir('cli'); const db = tmp.file('log.db');
 */
export function useTempDir(name: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `declog-${name}-`));
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  return { path, file: (file) => join(path, file) };
}
