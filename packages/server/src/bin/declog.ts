import { Worker, isMainThread, parentPort } from 'node:worker_threads';

// A reader that stops early (`declog query | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of failing with EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The only module that touches the process: argv, streams, signals and the exit code. */
async function main(): Promise<number> {
  // Loaded here, not at the top: for `serve` the main thread only starts the serving thread,
  // which loads them itself.
  const [{ CommanderError }, { buildProgram }, { renderError }] = await Promise.all([
    import('commander'),
    import('../cli/program.js'),
    import('../cli/render-error.js'),
  ]);
  let exitCode = 0;
  let stopSignal: Promise<string> | undefined;
  const program = buildProgram(
    {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      // Signals are caught only once a command waits for them (serve); in every other command
      // Ctrl-C and SIGTERM keep ending the process at once.
      get stopSignal() {
        stopSignal ??= parentPort ? stopMessage(parentPort) : caughtSignal();
        return stopSignal;
      },
    },
    (code) => {
      exitCode = code;
    },
  );
  try {
    await program.parseAsync(process.argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(renderError(error));
    return 1;
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The first stop signal the process receives, from now on. */
function caughtSignal(): Promise<string> {
  return new Promise<string>((resolve) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => resolve(signal));
  });
}

/** Between the main thread and the thread that serves (see {@link serveInThread}). */
type ServeMessage =
  { readonly kind: 'waiting' } | { readonly kind: 'stop'; readonly signal: string };

/** In the serving thread: the signal the main thread passes on, once asked to. */
function stopMessage(port: NonNullable<typeof parentPort>): Promise<string> {
  return new Promise<string>((resolve) => {
    const onMessage = (message: ServeMessage) => {
      if (message.kind !== 'stop') return;
      port.off('message', onMessage);
      resolve(message.signal);
    };
    port.on('message', onMessage);
    port.postMessage({ kind: 'waiting' } satisfies ServeMessage);
  });
}

/**
 * The young generation of the thread that runs `declog serve`, in MB: V8 makes it two
 * semi-spaces and a space for large objects, so 24 MB gives 8 MB semi-spaces where the main
 * thread would grow them to 16 MB. A read opens each sealed record it returns with a native
 * cipher, and a scavenge finalises every cipher made since the previous one, so the query that
 * meets a scavenge waits for as many pages' worth as fit in a semi-space. Measured on a
 * 1,000,000-decision database, three alternated rounds of 2,000 filtered queries: p50 / p99 of
 * 5.6 / 13.0, 5.7 / 13.3 and 5.7 / 12.9 ms with 24 MB, against 7.9 / 19.8, 5.4 / 15.6 and
 * 5.4 / 15.8 ms with 48 MB (16 MB semi-spaces). 4 MB semi-spaces, scavenged twice as often
 * again, raised the p50 (6.6-9.7 ms, against 5.2-7.2 ms with 16 MB).
 */
const SERVE_YOUNG_GENERATION_MB = 24;

/**
 * Runs this command line in a worker thread, whose heap limits (unlike the main thread's) can
 * be set here rather than by node flags; this thread passes on the stop signals and takes the
 * worker's exit code. A signal that arrives before the server waits for one ends the process
 * at once, as it would in the main thread; a second one does too.
 */
function serveInThread(): void {
  const worker = new Worker(new URL(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: { maxYoungGenerationSizeMb: SERVE_YOUNG_GENERATION_MB },
  });
  let waiting = false;
  const stopListening = () => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals) {
    stopListening();
    if (waiting) worker.postMessage({ kind: 'stop', signal } satisfies ServeMessage);
    else process.kill(process.pid, signal);
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  worker.on('message', (message: ServeMessage) => {
    if (message.kind === 'waiting') waiting = true;
  });
  worker.on('error', (error) => {
    process.stderr.write(`declog: ${String(error)}\n`);
  });
  worker.on('exit', (code) => {
    stopListening();
    process.exitCode = code;
  });
}

if (isMainThread && process.argv[2] === 'serve') {
  serveInThread();
} else {
  // Setting exitCode instead of calling exit() lets piped output drain completely.
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`declog: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
