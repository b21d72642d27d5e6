import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { trackChild, type ExitStatus } from './child-processes.js';
import { CLI_PATH } from './run-cli.js';

/** A `declog serve` child started with extra environment variables, once it prints its URL. */
export interface EnvServerProcess {
  readonly url: string;
  readonly exited: Promise<ExitStatus>;
  stderr(): string;
  stop(): Promise<ExitStatus>;
}

const BANNER = /^declog serving (http:\/\/\S+) \(database .*\)$/m;

/**
 * Starts `declog serve ARGS…` with `env` added to this process's environment (the shared
 * `startServer` helper passes none), e.g. to hand it `$DECLOG_SIGNING_KEY`.
 */
export async function startServerWithEnv(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs = 15_000,
): Promise<EnvServerProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', ...args], {
    cwd: tmpdir(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`declog serve printed no URL in time\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = BANNER.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`declog serve exited (${status.code ?? status.signal})\nstderr: ${stderr}`));
    });
  });
  return {
    url,
    exited,
    stderr: () => stderr,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
