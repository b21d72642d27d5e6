import { statSync } from 'node:fs';

/**
 * The size of an input file in bytes (undefined for a pipe or device, whose size is unknown),
 * checked before anything is opened or sent, so that a missing file is one clear line rather
 * than a read stream's unhandled error.
 */
export function inputFileSize(file: string): number | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a folder on its path is a file'
            : (error as Error).message;
    throw new Error(`cannot read ${file}: ${why}`, { cause: error });
  }
  if (stats.isDirectory()) throw new Error(`cannot read ${file}: it is a folder, not a file`);
  return stats.isFile() ? stats.size : undefined;
}
