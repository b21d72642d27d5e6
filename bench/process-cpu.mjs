import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc's CPU times (100 on nearly every Linux). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user and system, all threads) process `pid` has used so far, from
 * /proc/PID/stat; null where there is no /proc (the figure is then left out).
 */
export function processCpuSeconds(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name, in parentheses, may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds (user and system) thread `taskId` of process `pid` has used so far, from
 * /proc/PID/task/ID/stat; null where it cannot be read.
 */
export function threadCpuSeconds(pid, taskId) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/task/${taskId}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds of the process and of each named thread: `{ total, byThread: { name: seconds } }`,
 * with `other` the rest of the process (the garbage collector's helpers, the WAL
 * checkpointer, the main thread). Null without /proc.
 */
export function serverCpuSeconds(pid, threads) {
  const total = processCpuSeconds(pid);
  if (total === null) return null;
  const byThread = {};
  let named = 0;
  for (const [name, taskId] of Object.entries(threads ?? {})) {
    const seconds = taskId === null ? null : threadCpuSeconds(pid, taskId);
    if (seconds === null) continue;
    byThread[name] = seconds;
    named += seconds;
  }
  byThread.other = total - named;
  return { total, byThread };
}

/** CPU seconds this process has used so far, all threads. */
export function ownCpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
