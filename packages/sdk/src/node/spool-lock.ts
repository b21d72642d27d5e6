import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DecisionLogError } from '../decision-log-error.js';

export interface SpoolLock {
  release(): Promise<void>;
}

/**
 * Takes the spool folder for this process: a `lock` file holding its pid. Two live processes on
 * one folder would each replay and delete the other's segments; a lock whose process has
 * died (SIGKILL, a crash) is taken over.
 */
export async function acquireSpoolLock(dir: string): Promise<SpoolLock> {
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new DecisionLogError(
        'spool_unavailable',
        `the spool ${dir} is in use by process ${owner}; give each producer process its own spoolDir`,
      );
    }
    await unlink(path).catch(() => undefined); // left by a process that has stopped
  }
  throw new DecisionLogError('spool_unavailable', `could not take the lock of the spool ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
