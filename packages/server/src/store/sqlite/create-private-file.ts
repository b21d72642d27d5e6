import { closeSync, openSync } from 'node:fs';

/**
 * Creates the database file `path`, empty, readable and writable by its owner only (0600),
 * unless it exists. SQLite creates a database's `-wal` and `-shm` files with the database
 * file's own mode, so they are private too; left to SQLite, all three would be 0644 (with the
 * usual umask), readable by every user of the machine.
 */
export function createPrivateFile(path: string): void {
  if (path === '' || path === ':memory:') return;
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing directory is SQLite's to report, in its own words.
    if (code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}
