import type { ChildProcess } from 'node:child_process';

/** How a child process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const running = new Set<ChildProcess>();

// A crashed or interrupted test run must not leave servers behind holding ports and files.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Registers a child so that `killChildProcesses` ends it if a test does not. */
export function trackChild(child: ChildProcess): Promise<ExitStatus> {
  running.add(child);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
}

/** SIGKILLs every child still running and waits until each has exited; for `afterAll`. */
export async function killChildProcesses(): Promise<void> {
  const ended = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(ended);
}
