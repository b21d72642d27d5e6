import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { trackChild, type ExitStatus } from './child-processes.js';

/** The built CLI, as users run it; DECLOG_TEST_CLI runs the tests against another build. */
export const CLI_PATH =
  process.env['DECLOG_TEST_CLI'] ??
  fileURLToPath(new URL('../../packages/server/dist/bin/declog.js', import.meta.url));

export interface CliResult extends ExitStatus {
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  /** Written to standard input, which is then closed (it is closed at once without input). */
  readonly input?: string;
  /** Working directory; the system temp dir by default, so a default ./declog.db lands there. */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** SIGKILL the command after this long (the result then has signal SIGKILL). */
  readonly timeoutMs?: number;
}

/**
 * Runs `declog ARGS…` in a child process with pipes (so not on a terminal) and collects its output.
 *
 * @example const { code, stdout } = await runCli(['get', id, '--db', db]);
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  return runCommand(process.execPath, [CLI_PATH, ...args], options);
}

/** Runs any program the way `runCli` runs the CLI. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliResult> {
  const child = spawn(file, args, {
    cwd: options.cwd ?? tmpdir(),
    env: { ...process.env, ...options.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = trackChild(child);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {}); // the command may exit before reading its input
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const status = await exited;
  clearTimeout(timer);
  await closed; // all output read
  return { ...status, stdout, stderr };
}
