import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { trackChild, type ExitStatus } from './child-processes.js';
import { CLI_PATH } from './run-cli.js';

/** A `declog serve` child process that has printed its URL. */
export interface ServerProcess {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41907`. */
  readonly url: string;
  /** The line the server printed when it was ready. */
  readonly banner: string;
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ExitStatus>;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitStatus>;
}

export interface StartServerOptions {
  readonly cwd?: string;
  /** Added to this process's environment, e.g. `DECLOG_SIGNING_KEY`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Give up waiting for the banner after this long. */
  readonly timeoutMs?: number;
}

const BANNER = /^declog serving (http:\/\/\S+) \(database (.*)\)$/m;

/**
 * Starts `declog serve ARGS…` and resolves once it prints its URL; rejects with its output if it
 * exits or stays silent first. Use `--port 0` to get a free port.
 *
 * @example const server = await startServer(['--db', dbPath, '--port', '0']);
 */
export async function startServer(
  args: readonly string[],
  options: StartServerOptions = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = trackChild(child);
  let stdout = '';
  let stderr = '';
  const report = errorReporter(child.pid ?? -1);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    report(chunk);
  });
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`declog serve printed no URL in time\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, options.timeoutMs ?? 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = BANNER.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void exited.then((status) => {
      clearTimeout(timer);
      reject(
        new Error(
          `declog serve exited (${status.code ?? status.signal}) before serving\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    });
  });
  let stopping = false;
  void exited.then((status) => {
    // Ended by itself while serving (a signal is how tests end servers): its last words say why.
    if (!stopping && status.code !== null) {
      process.stderr.write(
        `declog serve (pid ${child.pid}) exited (${status.code}) unasked\nstderr: ${stderr}\n`,
      );
    }
  });
  return {
    url: banner[1] ?? '',
    banner: banner[0],
    pid: child.pid ?? -1,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      stopping = true;
      child.kill(signal);
      return exited;
    },
  };
}

/**
 * Echoes what a server logs of an error (`declog: internal error: …` and its indented lines)
 * to this process's stderr as it comes: a 500 names its cause in the test's output, even when
 * the test fails on something else or never looks at the server's output.
 */
function errorReporter(pid: number): (chunk: string) => void {
  let partial = '';
  let inReport = false;
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (/^declog: internal error/.test(line)) inReport = true;
      else if (!/^\s/.test(line)) inReport = false;
      if (inReport) process.stderr.write(`declog serve (pid ${pid}): ${line}\n`);
    }
  };
}
