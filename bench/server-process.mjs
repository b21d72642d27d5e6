import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';

const BIN = fileURLToPath(new URL('../packages/server/dist/bin/declog.js', import.meta.url));
const READY = /^declog serving (http:\/\/\S+) /m;

/** The admin key of every server the benchmark starts; its clients send it. */
export const BENCH_ADMIN_KEY = 'declog-bench-admin-key-0123456789';

/**
 * Starts `declog serve` on a free port of 127.0.0.1 as a child process and resolves once it
 * prints its ready line: on the SQLite file `dbPath`, or on `store` (a `--store` URL), in
 * `cwd`. `nodeArgs` go to node itself, e.g. `--cpu-prof`.
 */
export async function startServer({
  node,
  dbPath,
  store,
  cwd,
  nodeArgs = [],
  readyTimeoutMs = 30_000,
}) {
  const target = store === undefined ? ['--db', dbPath] : ['--store', store];
  // Rate limits off: the benchmark measures the server, not its limiter.
  const limits = ['--rate-limit-reads', '0', '--rate-limit-writes', '0'];
  // No scheduled retention run may land in a measurement; the bench times runs it asks for.
  const retention = ['--retention-interval', '0'];
  const args = [
    ...nodeArgs,
    BIN,
    'serve',
    ...target,
    ...limits,
    ...retention,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    // Which thread does what: the ingest figures give each one's CPU time.
    '--report-threads',
  ];
  const child = spawn(node, args, {
    cwd,
    env: { ...process.env, DECLOG_ADMIN_KEY: BENCH_ADMIN_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const report = errorReporter(`declog serve (pid ${child.pid})`);
  child.stdout.setEncoding('utf8').on('data', (text) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text) => {
    output += text;
    report(text);
  });
  const exited = once(child, 'exit');
  let stopping = false;

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not ready:\n${output}`)),
      readyTimeoutMs,
    );
    const check = () => {
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
  exited.then(([code, signal]) => {
    // Ended while serving, unasked: what it printed says why (the run fails on it next).
    if (!stopping) {
      process.stderr.write(
        `declog serve (pid ${child.pid}) exited with ${code ?? signal}:\n${output}\n`,
      );
    }
  });

  const reported = /^declog: threads (.*)$/m.exec(output)?.[1] ?? '';
  const threads = Object.fromEntries(
    reported
      .split(' ')
      .filter((pair) => pair.includes('='))
      .map((pair) => {
        const [name, id] = pair.split('=');
        return [name, id === 'unknown' ? null : Number(id)];
      }),
  );
  return {
    url,
    pid: child.pid,
    /** The task ids of the server's threads by job (serving, writer), as it reported them. */
    threads,
    /** Stops the server with SIGTERM; rejects if it does not exit cleanly. */
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code, signal] = await exited;
      if (code !== 0) throw new Error(`server exited with ${code ?? signal}:\n${output}`);
    },
    /** Everything the server printed so far, stdout and stderr. */
    output: () => output,
    /** Kills the server if it still runs; for clean-up after a failure. */
    kill() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Echoes what a server logs of an error (`declog: internal error: …` and its indented lines)
 * to the benchmark's stderr as it comes: a 500 that stops the run names its cause.
 */
function errorReporter(prefix) {
  let partial = '';
  let inReport = false;
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (/^declog: internal error/.test(line)) inReport = true;
      else if (!/^\s/.test(line)) inReport = false;
      if (inReport) process.stderr.write(`${prefix}: ${line}\n`);
    }
  };
}
