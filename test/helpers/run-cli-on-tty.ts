import { spawnSync } from 'node:child_process';
import { CLI_PATH, runCommand, type CliResult } from './run-cli.js';

/** Whether util-linux `script`, which gives a command a pseudo-terminal, is installed. */
export const TTY_AVAILABLE = spawnSync('script', ['--version']).status === 0;

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * Runs `declog ARGS…` on a pseudo-terminal (via `script`), as a person at a terminal would.
 * Standard output and error arrive together in `stdout`, with CRLF line ends turned into LF.
 */
export async function runCliOnTty(args: readonly string[], cwd?: string): Promise<CliResult> {
  const command = [process.execPath, CLI_PATH, ...args].map(quote).join(' ');
  const result = await runCommand('script', ['-qefc', command, '/dev/null'], cwd ? { cwd } : {});
  return { ...result, stdout: result.stdout.replaceAll('\r\n', '\n') };
}
