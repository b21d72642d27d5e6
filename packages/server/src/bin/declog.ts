import { CommanderError } from 'commander';
import { buildProgram } from '../cli/program.js';
import { renderError } from '../cli/render-error.js';

// A reader that stops early (`declog query | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of failing with EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** The only module that touches the process: argv, streams, signals and the exit code. */
async function main(): Promise<number> {
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
        stopSignal ??= new Promise<string>((resolve) => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const)
            process.once(signal, () => resolve(signal));
        });
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
