import { readlinkSync } from 'node:fs';

/**
 * The operating system's id of the calling thread (its task id under /proc), so that a thread's
 * CPU time can be read from /proc/PID/task/ID/stat; null where there is no /proc.
 */
export function threadTaskId(): number | null {
  try {
    // "PID/task/TID" for the thread that reads it.
    const id = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isSafeInteger(id) ? id : null;
  } catch {
    return null;
  }
}
